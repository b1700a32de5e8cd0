{#
    Fit artifact: the `scaler_param` rows of int_dfu_clustering, one row per feature
    (packed as JSON: text columns, typed by the mart).
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_dfu_clustering'), 'scaler_param', [
    'feature', 'method', 'center', 'scale', 'clip_lower', 'clip_upper', 'is_used', 'run_id'
], packed=true) }}
