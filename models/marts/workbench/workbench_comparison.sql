{# Contracted workbench `comparison` table for every shipped spec. One row per spec and compared algorithm. #}
with

source_table as (
    select * from {{ ref('int_workbench_comparison') }}
),

typed as (
    select
        cast(spec_name as varchar) as spec_name,
        cast(algorithm as varchar) as algorithm,
        cast(n_clusters as integer) as n_clusters,
        cast(silhouette as double) as silhouette,
        cast(noise_share as double) as noise_share,
        cast(is_recommended as boolean) as is_recommended,
        cast(reason as varchar) as reason,
        cast(run_id as varchar) as run_id
    from source_table
)

select * from typed
