{# Contracted workbench `feature_importance` table for every shipped spec. One row per spec and feature. #}
with

source_table as (
    select * from {{ ref('int_workbench_feature_importance') }}
),

typed as (
    select
        cast(spec_name as varchar) as spec_name,
        cast(feature as varchar) as feature,
        cast(f_statistic as double) as f_statistic,
        cast(importance as double) as importance,
        cast(run_id as varchar) as run_id
    from source_table
)

select * from typed
