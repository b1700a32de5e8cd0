{# DFU cluster assignments with business labels. One row per clustered DFU. #}
with

clusters as (
    select * from {{ ref('int_dfu_clusters') }}
),

labels as (
    select cluster_id, cluster_label, cluster_assignment from {{ ref('dfu_cluster_labels') }}
),

labelled as (
    select
        ----- ids
        cast(clusters.dfu_id as {{ dbt.type_string() }}) as dfu_id,
        cast(clusters.cluster_id as integer) as cluster_id,
        cast(clusters.run_id as {{ dbt.type_string() }}) as run_id,
        ----- strings
        cast(labels.cluster_label as {{ dbt.type_string() }}) as cluster_label,
        cast(labels.cluster_assignment as {{ dbt.type_string() }}) as cluster_assignment,
        ----- numerics
        cast(clusters.silhouette as double) as silhouette,
        cast(clusters.k as integer) as k,
        ----- per-row scores: distance, normalized_distance, margin, second_cluster_id
        {{ cast_row_scores('clusters') }}
    from clusters
    inner join labels
        on clusters.cluster_id = labels.cluster_id
)

select * from labelled
