{# Workbench `metrics` of every spec, one row per spec and metric: rows of int_workbench_analysis. #}
{{ config(materialized='view') }}

{{ record_rows(ref('int_workbench_analysis'), 'metrics', [
    'spec_name', 'metric', 'value', 'run_id'
]) }}
