{#
    One row per snapshot: customer, axis, snapshot date and type, with the
    memberships as a JSON object {"<segment_id>": membership, ...} (for tools
    that read no lists), the dominant segment and the context. A customer's
    snapshot history between two dates is a filter on this view (see
    analyses/customer_snapshot_history.sql).
#}
{{ config(materialized='view') }}
with

snapshots as (
    select * from {{ ref('customer_membership_snapshots') }}
),

with_json as (
    select
        ----- ids
        customer_id,
        axis,
        dominant_segment_id,
        reference_run_id,
        ----- strings
        snapshot_type,
        {{ memberships_json('memberships', 'segment_ids') }} as memberships_json,
        ----- numerics
        max_membership,
        orders_at_snapshot,
        value_at_snapshot,
        days_since_first_order,
        tenure_months,
        ----- dates
        snapshot_date,
        ----- timestamps
        last_ordered_at,
        snapshot_at
    from snapshots
)

select * from with_json
