{# Workbench `comparison` of every spec, one row per spec and compared algorithm: rows of int_workbench_analysis. #}
{{ config(materialized='view') }}

{{ record_rows(ref('int_workbench_analysis'), 'comparison', [
    'spec_name', 'algorithm', 'n_clusters', 'silhouette', 'noise_share', 'is_recommended', 'reason',
    'run_id'
]) }}
