{#
    The snapshot history in long form, for BI tools that want one row per
    segment: one row per customer, axis, snapshot date and type, and reference
    segment, with the membership, the segment's name, the dominant segment and
    the context. A view
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

names as (
    select * from {{ ref('int_customer_reference_segment_names') }}
),

positioned as (
    select
        segments.*,
        {{ list_element('segments.segment_ids', 'segments.segment_position') }} as segment_id,
        {{ list_element('segments.memberships', 'segments.segment_position') }} as membership
    from segments
),

long_form as (
    select
        positioned.customer_id,
        positioned.axis,
        positioned.segment_id,
        names.segment_name,
        positioned.dominant_segment_id,
        positioned.reference_run_id,
        positioned.snapshot_type,
        positioned.membership,
        positioned.max_membership,
        positioned.orders_at_snapshot,
        positioned.value_at_snapshot,
        positioned.days_since_first_order,
        positioned.tenure_months,
        positioned.segment_id = positioned.dominant_segment_id as is_dominant,
        positioned.snapshot_date,
        positioned.last_ordered_at,
        positioned.snapshot_at,
        positioned.taken_at,
        positioned.snapshot_id,
        positioned.data_version
    from positioned
    left join names
        on {{ is_reference_segment('names', 'positioned.reference_run_id', 'positioned.axis',
                                   'positioned.segment_id') }}
),

final as (
    {{ cast_to_contract('long_form') }}
)

select * from final
