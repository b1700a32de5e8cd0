{# Workbench `clusters` of every spec, one row per spec and cluster: rows of int_workbench_analysis. #}
{{ config(materialized='view') }}

{{ record_rows(ref('int_workbench_analysis'), 'clusters', [
    'spec_name', 'cluster_id', 'size', 'share', 'density', 'compactness', 'separation', 'run_id'
]) }}
