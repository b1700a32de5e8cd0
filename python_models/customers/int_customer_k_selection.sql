{#
    Customer k-selection, one row per axis, method and k: the `k_selection` rows of
    int_customer_segmentation (every axis and method fitted once, one long table).
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_customer_segmentation'), 'k_selection', [
    'axis', 'method', 'k', 'silhouette', 'silhouette_method', 'balance', 'combined_score',
    'largest_share', 'partition_coefficient', 'partition_entropy', 'bic', 'aic',
    'reconstruction_error', 'is_silhouette_best', 'is_combined_best', 'is_chosen', 'selection_rule',
    'n_samples', 'features', 'run_id'
]) }}
