{#
    What planners ask of the clusters: per cluster assignment (label), how many
    DFUs, their average monthly demand and the average coefficient of
    variation. One row per cluster.
#}
with

assignments as (
    select dfu_id, cluster_id, cluster_label, cluster_assignment from {{ ref('dfu_cluster_assignments') }}
),

features as (
    select dfu_id, mean_demand, cv_demand from {{ ref('dfu_features') }}
),

summarised as (
    select
        assignments.cluster_id,
        assignments.cluster_assignment,
        assignments.cluster_label,
        count(*) as dfu_count,
        avg(features.mean_demand) as avg_demand,
        avg(features.cv_demand) as cv_demand,
        cast(count(*) as double) / sum(count(*)) over () as dfu_share
    from assignments
    inner join features
        on assignments.dfu_id = features.dfu_id
    group by assignments.cluster_id, assignments.cluster_assignment, assignments.cluster_label
),

final as (
    {{ cast_to_contract('summarised') }}
)

select * from final
