{# Workbench `representatives` of every spec, one row per spec, cluster and rank: rows of int_workbench_analysis. #}
{{ config(materialized='view') }}

{{ record_rows(ref('int_workbench_analysis'), 'representatives', [
    'spec_name', 'cluster_id', 'rank', 'id', 'distance', 'run_id'
]) }}
