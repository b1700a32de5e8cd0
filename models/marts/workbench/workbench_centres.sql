{# Contracted workbench `centres` table for every shipped spec. One row per spec, cluster and feature. #}
with

source_table as (
    select * from {{ ref('int_workbench_centres') }}
),

typed as (
    select
        cast(spec_name as varchar) as spec_name,
        cast(cluster_id as integer) as cluster_id,
        cast(feature as varchar) as feature,
        cast(value_scaled as double) as value_scaled,
        cast(value_original as double) as value_original,
        cast(run_id as varchar) as run_id
    from source_table
)

select * from typed
