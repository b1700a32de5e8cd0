{# Contracted workbench `representatives` table for every shipped spec. One row per spec, cluster and rank. #}
with

source_table as (
    select * from {{ ref('int_workbench_representatives') }}
),

typed as (
    select
        cast(spec_name as varchar) as spec_name,
        cast(cluster_id as integer) as cluster_id,
        cast(rank as integer) as rank,
        cast(id as varchar) as id,
        cast(distance as double) as distance,
        cast(run_id as varchar) as run_id
    from source_table
)

select * from typed
