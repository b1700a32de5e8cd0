{# Contracted DFU cluster centres. One row per cluster and configured feature. #}
with

centroids as (
    select * from {{ ref('int_dfu_centroids') }}
),

typed as (
    select
        ----- ids
        cast(run_id as varchar) as run_id,
        cast(cluster_id as integer) as cluster_id,
        ----- strings
        cast(feature as varchar) as feature,
        ----- numerics
        cast(center_scaled as double) as center_scaled,
        cast(center_original as double) as center_original,
        ----- booleans
        cast(is_used as boolean) as is_used
    from centroids
)

select * from typed
