{#
    Provider cluster assignments: the `assignment` rows of int_provider_clustering, every
    provider_features column plus cluster_id, silhouette, the per-row scores, k, algorithm and run_id.
#}
{{ config(materialized='view') }}

{{ typed_rows(ref('int_provider_clustering'), 'assignment', exclude=['fit_key']) }}
