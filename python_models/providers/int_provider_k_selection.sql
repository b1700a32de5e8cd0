{#
    Provider k-selection, one row per k: the `k_selection` rows of int_provider_clustering
    (one fit, one long table), packed as JSON: text columns, typed by provider_k_selection.
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_provider_clustering'), 'k_selection', [
    'axis', 'method', 'k', 'inertia', 'silhouette', 'silhouette_method', 'calinski_harabasz',
    'davies_bouldin', 'gap', 'gap_sd', 'gap_references', 'balance', 'combined_score',
    'smallest_cluster_share', 'largest_share', 'n_clusters_found', 'bic', 'aic',
    'partition_coefficient', 'partition_entropy', 'reconstruction_error', 'stability', 'is_eligible', 'is_knee',
    'is_silhouette_best', 'is_gap_best', 'is_combined_best', 'is_chosen', 'selection_rule',
    'algorithm', 'scaling', 'random_state', 'n_samples', 'features', 'features_used',
    'n_components', 'run_id', 'settings_json'
], packed=true) }}
