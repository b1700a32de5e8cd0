{# Contracted workbench `clusters` table for every shipped spec. One row per spec and cluster. #}
with

source_table as (
    select * from {{ ref('int_workbench_clusters') }}
),

typed as (
    select
        cast(spec_name as varchar) as spec_name,
        cast(cluster_id as integer) as cluster_id,
        cast(size as integer) as size,
        cast(share as double) as share,
        cast(density as double) as density,
        cast(compactness as double) as compactness,
        cast(separation as double) as separation,
        cast(run_id as varchar) as run_id
    from source_table
)

select * from typed
