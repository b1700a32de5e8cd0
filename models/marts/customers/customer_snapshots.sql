{#
    One row per snapshot: customer, axis, snapshot date and type, with the
    dominant segment's name (int_customer_reference_segment_names), the
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

names as (
    select * from {{ ref('int_customer_reference_segment_names') }}
),

with_json as (
    select
        ----- ids
        snapshots.customer_id,
        snapshots.axis,
        snapshots.dominant_segment_id,
        snapshots.reference_run_id,
        snapshots.snapshot_id,
        names.segment_name as dominant_segment_name,
        ----- strings
        snapshots.snapshot_type,
        snapshots.data_version,
        {{ memberships_json('snapshots.memberships', 'snapshots.segment_ids') }} as memberships_json,
        ----- numerics
        snapshots.max_membership,
        snapshots.orders_at_snapshot,
        snapshots.value_at_snapshot,
        snapshots.days_since_first_order,
        snapshots.tenure_months,
        ----- dates
        snapshots.snapshot_date,
        ----- timestamps
        snapshots.last_ordered_at,
        snapshots.snapshot_at
    from snapshots
    left join names
        on {{ is_reference_segment('names', 'snapshots.reference_run_id', 'snapshots.axis',
                                   'snapshots.dominant_segment_id') }}
)

select * from with_json
