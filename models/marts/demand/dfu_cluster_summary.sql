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
        ----- ids
        cast(assignments.cluster_id as integer) as cluster_id,
        ----- strings
        cast(assignments.cluster_assignment as {{ dbt.type_string() }}) as cluster_assignment,
        cast(assignments.cluster_label as {{ dbt.type_string() }}) as cluster_label,
        ----- numerics
        cast(count(*) as integer) as dfu_count,
        cast(avg(features.mean_demand) as double) as avg_demand,
        cast(avg(features.cv_demand) as double) as cv_demand,
        cast(count(*) as double) / sum(count(*)) over () as dfu_share
    from assignments
    inner join features
        on assignments.dfu_id = features.dfu_id
    group by assignments.cluster_id, assignments.cluster_assignment, assignments.cluster_label
)

select * from summarised
