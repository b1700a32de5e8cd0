{# Contracted workbench `suggestions` table for every shipped spec. One row per spec and suggestion. #}
with

source_table as (
    select * from {{ ref('int_workbench_suggestions') }}
),

typed as (
    select
        cast(spec_name as varchar) as spec_name,
        cast(name as varchar) as name,
        cast(value as double) as value,
        cast(note as varchar) as note,
        cast(run_id as varchar) as run_id
    from source_table
)

select * from typed
