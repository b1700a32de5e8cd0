{#
    Contracted, typed provider cluster assignments. One row per clustered provider: its features, cluster
    and silhouette, and the per-row scores (distance_to_centroid, normalized_distance, margin,
    second_cluster_id: models/docs/row_scores.md).
#}
with

typed as (
    {{ cast_to_contract(ref('int_provider_clusters')) }}
)

select * from typed
