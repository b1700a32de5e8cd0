{# Workbench `assignments` of every spec, one row per spec and source row: rows of int_workbench_analysis. #}
{{ config(materialized='view') }}

{{ record_rows(ref('int_workbench_analysis'), 'assignments', [
    'spec_name', 'id', 'cluster_id', 'confidence', 'is_noise', 'is_outlier', 'outlier_score',
    'x_2d', 'y_2d', 'silhouette', 'distance_to_centre', 'normalized_distance', 'margin', 'run_id'
]) }}
