{# Workbench `centres` of every spec, one row per spec, cluster and feature: rows of int_workbench_analysis. #}
{{ config(materialized='view') }}

{{ record_rows(ref('int_workbench_analysis'), 'centres', [
    'spec_name', 'cluster_id', 'feature', 'value_scaled', 'value_original', 'run_id'
]) }}
