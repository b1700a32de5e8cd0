{#
    The fit artifacts are enough to score providers in plain SQL: clip and
    scale each used feature with provider_scaler_params, take the nearest centre in
    provider_cluster_centroids. For k-means that must reproduce every
    assignment in provider_clusters (a converged k-means labels each point with
    its nearest centre). Returns the providers where it does not, or that could
    not be scored; and fails when there is nothing to compare (so the test
    cannot pass vacuously).
#}
{%- set feature_columns = ['avg_intelligence', 'avg_price', 'avg_speed'] -%}
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
    {% for column in feature_columns %}
    select provider_id, '{{ column }}' as feature, {{ column }} as feature_value from clusters
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

scaled as (
    select
        feature_values.provider_id,
        feature_values.feature,
        -- clip to the stored bounds (null: not clipped), then scale
        (least(
            greatest(feature_values.feature_value, coalesce(params.clip_lower, feature_values.feature_value)),
            coalesce(params.clip_upper, feature_values.feature_value)
        ) - params.center) / params.scale as scaled_value
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
),

mismatches as (
    select clusters.provider_id, clusters.cluster_id, nearest.cluster_id as nearest_cluster_id
    from clusters
    left join nearest
        on clusters.provider_id = nearest.provider_id
        and nearest.distance_rank = 1
    where nearest.cluster_id is null or clusters.cluster_id <> nearest.cluster_id
),

coverage as (
    -- every used feature must be one the test scales, and there must be rows to compare
    select cast(null as {{ dbt.type_string() }}) as provider_id, -1 as cluster_id, -1 as nearest_cluster_id
    where (select count(*) from clusters) = 0
        or (
            select count(*) from params
            where feature not in ('{{ feature_columns | join("', '") }}')  -- noqa: LT05
        ) > 0
)

select * from mismatches
union all
select * from coverage
