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
        clusters.dfu_id,
        clusters.cluster_id,
        clusters.run_id,
        labels.cluster_label,
        labels.cluster_assignment,
        clusters.silhouette,
        clusters.k,
        ----- per-row scores: distance, normalized_distance, margin, second_cluster_id
        clusters.distance_to_centroid,
        clusters.normalized_distance,
        clusters.margin,
        clusters.second_cluster_id
    from clusters
    inner join labels
        on clusters.cluster_id = labels.cluster_id
),

final as (
    {{ cast_to_contract('labelled') }}
)

select * from final
