{#
    The fit artifacts are enough to score providers in plain SQL: scale each
    feature with provider_scaler_params, take the nearest centre in
    provider_cluster_centroids. For k-means that must reproduce every
    assignment in provider_clusters (a converged k-means labels each point with
    its nearest centre). Returns the providers where it does not.
#}
with

clusters as (
    select * from {{ ref('provider_clusters') }} where algorithm = 'kmeans'
),

params as (
    select * from {{ ref('provider_scaler_params') }} where is_used
),

centroids as (
    select * from {{ ref('provider_cluster_centroids') }} where is_used
),

feature_values as (
    select provider_id, 'avg_intelligence' as feature, avg_intelligence as feature_value from clusters
    union all
    select provider_id, 'avg_price' as feature, avg_price as feature_value from clusters
    union all
    select provider_id, 'avg_speed' as feature, avg_speed as feature_value from clusters
),

scaled as (
    select
        feature_values.provider_id,
        feature_values.feature,
        (feature_values.feature_value - params.center) / params.scale as scaled_value
    from feature_values
    inner join params
        on feature_values.feature = params.feature
),

distances as (
    select
        scaled.provider_id,
        centroids.cluster_id,
        sum(power(scaled.scaled_value - centroids.center_scaled, 2)) as squared_distance
    from scaled
    inner join centroids
        on scaled.feature = centroids.feature
    group by scaled.provider_id, centroids.cluster_id
),

nearest as (
    select
        provider_id,
        cluster_id,
        row_number() over (partition by provider_id order by squared_distance, cluster_id) as distance_rank
    from distances
)

select clusters.provider_id, clusters.cluster_id, nearest.cluster_id as nearest_cluster_id
from clusters
inner join nearest
    on clusters.provider_id = nearest.provider_id
    and nearest.distance_rank = 1
where clusters.cluster_id <> nearest.cluster_id
