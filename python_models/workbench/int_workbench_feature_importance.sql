{# Workbench `feature_importance` of every spec, one row per spec and feature: rows of int_workbench_analysis. #}
{{ config(materialized='view') }}

{{ record_rows(ref('int_workbench_analysis'), 'feature_importance', [
    'spec_name', 'feature', 'f_statistic', 'importance', 'run_id'
]) }}
