{#
    The snapshot history in long form, for BI tools that want one row per
    segment: one row per customer, axis, snapshot date and type, and reference
    segment, with the membership, the dominant segment and the context. A view
    over customer_membership_snapshots (k times its rows: keep filters on
    customer, axis or date when reading it at scale).
#}
{{ config(materialized='view') }}
with

snapshots as (
    select * from {{ ref('customer_membership_snapshots') }}
),

segments as (
    select snapshots.*, {{ segment_positions('snapshots.memberships') }} as segment_position
    from snapshots
),

long_form as (
    select
        customer_id,
        axis,
        {{ list_element('segment_ids', 'segment_position') }} as segment_id,
        dominant_segment_id,
        reference_run_id,
        snapshot_type,
        {{ list_element('memberships', 'segment_position') }} as membership,
        max_membership,
        orders_at_snapshot,
        value_at_snapshot,
        days_since_first_order,
        tenure_months,
        {{ list_element('segment_ids', 'segment_position') }} = dominant_segment_id as is_dominant,
        snapshot_date,
        last_ordered_at,
        snapshot_at,
        taken_at
    from segments
),

final as (
    {{ cast_to_contract('long_form') }}
)

select * from final
