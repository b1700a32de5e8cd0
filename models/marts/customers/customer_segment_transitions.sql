{#
    Segment transitions between consecutive snapshots: one row per axis,
    snapshot type, period (the later snapshot date), from segment and to
    segment (ids and the reference model's names), with the number of
    customers (staying in a segment counts as a transition to itself, so each
    period's counts add up to the customers compared).
#}
with

drift as (
    select * from {{ ref('customer_drift') }}
),

transitions as (
    select
        axis,
        old_dominant_segment_id as from_segment_id,
        new_dominant_segment_id as to_segment_id,
        old_dominant_segment_name as from_segment_name,
        new_dominant_segment_name as to_segment_name,
        snapshot_type,
        count(*) as customer_count,
        avg(drift_score) as avg_drift_score,
        old_dominant_segment_id <> new_dominant_segment_id as is_change,
        previous_snapshot_date as period_start,
        snapshot_date as period_end
    from drift
    group by axis, old_dominant_segment_id, new_dominant_segment_id, old_dominant_segment_name,
             new_dominant_segment_name, snapshot_type, previous_snapshot_date, snapshot_date
),

final as (
    {{ cast_to_contract('transitions') }}
)

select * from final
