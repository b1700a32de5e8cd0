{#
    One row per provider cluster: size, mean features in original units, members
    and a market-segment name. The name comes from the seed
    provider_segment_rules: the cluster's mean features are turned into z-scores
    against the provider population, and the lowest-priority rule whose bounds
    all hold names it ('mainstream' when none does).
#}
with

clusters as (
    select * from {{ ref('provider_clusters') }}
),

rules as (
    select * from {{ ref('provider_segment_rules') }}
),

population as (
    select
        count(*) as provider_total,
        avg(avg_intelligence) as intelligence_mean,
        stddev_pop(avg_intelligence) as intelligence_std,
        avg(avg_price) as price_mean,
        stddev_pop(avg_price) as price_std,
        avg(avg_speed) as speed_mean,
        stddev_pop(avg_speed) as speed_std
    from clusters
),

cluster_means as (
    select
        cluster_id,
        max(run_id) as run_id,
        max(k) as k,
        count(*) as provider_count,
        sum(model_count) as model_count,
        avg(avg_intelligence) as avg_intelligence,
        avg(avg_price) as avg_price,
        avg(avg_speed) as avg_speed,
        avg(silhouette) as mean_silhouette,
        {{ sorted_listagg('provider_name', "', '") }} as members
    from clusters
    group by cluster_id
),

cluster_scored as (
    select
        cluster_means.*,
        cast(cluster_means.provider_count as double) / population.provider_total
            as provider_share,
        (cluster_means.avg_intelligence - population.intelligence_mean)
            / nullif(population.intelligence_std, 0) as intelligence_z,
        (cluster_means.avg_price - population.price_mean)
            / nullif(population.price_std, 0) as price_z,
        (cluster_means.avg_speed - population.speed_mean)
            / nullif(population.speed_std, 0) as speed_z
    from cluster_means
    cross join population
),

rules_matched as (
    select
        cluster_scored.cluster_id,
        rules.segment_name,
        row_number() over (
            partition by cluster_scored.cluster_id order by rules.priority
        ) as rule_rank
    from cluster_scored
    inner join rules
        on (rules.min_intelligence_z is null or cluster_scored.intelligence_z >= rules.min_intelligence_z)
        and (rules.max_intelligence_z is null or cluster_scored.intelligence_z <= rules.max_intelligence_z)
        and (rules.min_price_z is null or cluster_scored.price_z >= rules.min_price_z)
        and (rules.max_price_z is null or cluster_scored.price_z <= rules.max_price_z)
        and (rules.min_speed_z is null or cluster_scored.speed_z >= rules.min_speed_z)
        and (rules.max_speed_z is null or cluster_scored.speed_z <= rules.max_speed_z)
),

summary as (
    select
        cluster_scored.cluster_id,
        cluster_scored.run_id,
        cluster_scored.k,
        coalesce(rules_matched.segment_name, 'mainstream') as segment_name,
        cluster_scored.members,
        cluster_scored.provider_count,
        cluster_scored.provider_share,
        cluster_scored.model_count,
        cluster_scored.avg_intelligence,
        cluster_scored.avg_price,
        cluster_scored.avg_speed,
        cluster_scored.intelligence_z,
        cluster_scored.price_z,
        cluster_scored.speed_z,
        cluster_scored.mean_silhouette
    from cluster_scored
    left join rules_matched
        on cluster_scored.cluster_id = rules_matched.cluster_id
        and rules_matched.rule_rank = 1
),

final as (
    {{ cast_to_contract('summary') }}
)

select * from final
