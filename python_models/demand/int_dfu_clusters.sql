{#
    DFU cluster assignments: the `assignment` rows of int_dfu_clustering, every
    dfu_features column plus cluster_id, silhouette, the per-row scores, k, algorithm and run_id.
#}
{{ config(materialized='view') }}

{{ typed_rows(ref('int_dfu_clustering'), 'assignment', exclude=['fit_key']) }}
