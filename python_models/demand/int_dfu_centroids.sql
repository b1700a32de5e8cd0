{#
    Fit artifact: the `centroid` rows of int_dfu_clustering, one row per cluster and
    feature (packed as JSON: text columns, typed by the mart).
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_dfu_clustering'), 'centroid', [
    'cluster_id', 'feature', 'center_scaled', 'center_original', 'is_used', 'run_id'
], packed=true) }}
