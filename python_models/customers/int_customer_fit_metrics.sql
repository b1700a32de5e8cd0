{#
    Customer fit metrics and parameters, one row per axis and method: the `fit_metrics` rows of
    int_customer_segmentation (every axis and method fitted once, one long table), packed as JSON:
    VARCHAR columns, typed by the mart that reads them. A skipped axis (status 'skipped', with its
    reason) has one row per method and nothing else.
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_customer_segmentation'), 'fit_metrics', [
    'axis', 'method', 'status', 'reason', 'k', 'n_samples', 'features', 'features_used', 'run_id', 'silhouette',
    'calinski_harabasz', 'davies_bouldin', 'partition_coefficient', 'partition_entropy', 'bic', 'aic', 'log_likelihood', 'converged', 'n_iter',
    'reconstruction_error', 'avg_max_probability', 'high_confidence_count', 'low_confidence_count',
    'avg_entropy', 'max_share_before_subdivision', 'max_share_after_subdivision', 'n_leaf_segments',
    'n_fit_samples', 'settings_json', 'fuzziness', 'max_iter', 'tolerance', 'covariance_type',
    'encoding_dim', 'epochs', 'batch_size'
], packed=true) }}
