{#
    The DFU dimension rebuilt with cluster_assignment filled from this
    warehouse's clustering. One row per DFU of the master; DFUs that could not
    be clustered keep a null cluster_assignment and carry the reason.
#}
with

dfus as (
    select * from {{ ref('stg_dfus') }}
),

checked as (
    select dfu_id, quarantine_reason, months_of_history from {{ ref('int_dfus_checked') }}
),

assignments as (
    select dfu_id, cluster_assignment from {{ ref('dfu_cluster_assignments') }}
),

rebuilt as (
    select
        ----- ids
        dfus.dfu_id,
        dfus.item_id,
        ----- strings
        dfus.brand,
        dfus.region,
        dfus.state_plan,
        dfus.sales_div,
        dfus.prod_cat_desc,
        dfus.abc_vol,
        dfus.service_lvl_grp,
        dfus.supergroup,
        assignments.cluster_assignment,
        checked.quarantine_reason,
        ----- numerics
        dfus.execution_lag,
        dfus.total_lt,
        dfus.alcoh_pct,
        dfus.proof,
        checked.months_of_history
    from dfus
    left join checked
        on dfus.dfu_id = checked.dfu_id
    left join assignments
        on dfus.dfu_id = assignments.dfu_id
),

final as (
    {{ cast_to_contract('rebuilt') }}
)

select * from final
