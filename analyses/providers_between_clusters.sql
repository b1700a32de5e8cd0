-- Providers that sit between clusters (low silhouette) and what they are near.
-- Start here when a provider's segment looks wrong: compare its features with
-- its own cluster's means and the next-closest cluster's.
{{ config(enabled=cluster_marts_domain_on('providers')) }}
with

clusters as (
    select * from {{ ref('provider_clusters') }}
),

summary as (
    select cluster_id, segment_name, avg_intelligence, avg_price, avg_speed
    from {{ ref('provider_cluster_summary') }}
)

select
    clusters.provider_name,
    clusters.region,
    clusters.cluster_id,
    summary.segment_name,
    clusters.silhouette,
    clusters.avg_intelligence,
    summary.avg_intelligence as cluster_avg_intelligence,
    clusters.avg_price,
    summary.avg_price as cluster_avg_price,
    clusters.avg_speed,
    summary.avg_speed as cluster_avg_speed
from clusters
inner join summary
    on clusters.cluster_id = summary.cluster_id
order by clusters.silhouette
limit 20
