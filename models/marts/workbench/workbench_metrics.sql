{# Contracted workbench `metrics` table for every shipped spec. One row per spec and metric. #}
with

source_table as (
    select * from {{ ref('int_workbench_metrics') }}
),

typed as (
    select
        cast(spec_name as varchar) as spec_name,
        cast(metric as varchar) as metric,
        cast(value as double) as value,
        cast(run_id as varchar) as run_id
    from source_table
)

select * from typed
