{# Contracted workbench `assignments` table for every shipped spec. One row per spec and source row. #}
with

source_table as (
    select * from {{ ref('int_workbench_assignments') }}
),

typed as (
    select
        cast(spec_name as varchar) as spec_name,
        cast(id as varchar) as id,
        cast(cluster_id as integer) as cluster_id,
        cast(confidence as double) as confidence,
        cast(is_noise as boolean) as is_noise,
        cast(is_outlier as boolean) as is_outlier,
        cast(outlier_score as double) as outlier_score,
        cast(x_2d as double) as x_2d,
        cast(y_2d as double) as y_2d,
        cast(silhouette as double) as silhouette,
        cast(distance_to_centre as double) as distance_to_centre,
        cast(normalized_distance as double) as normalized_distance,
        cast(margin as double) as margin,
        cast(run_id as varchar) as run_id
    from source_table
)

select * from typed
