{# Workbench `suggestions` of every spec, one row per spec and suggestion: rows of int_workbench_analysis. #}
{{ config(materialized='view') }}

{{ record_rows(ref('int_workbench_analysis'), 'suggestions', [
    'spec_name', 'name', 'value', 'note', 'run_id'
]) }}
