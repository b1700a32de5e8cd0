{#
    Drift analysis over a window (var customer_drift_window_days, default 30):
    for every customer, axis and snapshot type, the latest snapshot compared
    with the latest snapshot on or before (latest date - window) in the same
    reference segment space. One row per customer, axis and type that has
    both. Same drift maths, event surprise and severity bands as
    customer_drift (the surprise over the whole window).
#}
{%- set window_days = var('customer_drift_window_days') | int -%}
with

snapshots as (
    select
        customer_id, axis, snapshot_type, snapshot_date, reference_run_id, dominant_segment_id, memberships,
        orders_at_snapshot, usual_gap_days
    from {{ ref('customer_membership_snapshots') }}
),

band_lists as (
    {{ severity_band_lists(ref('drift_severity_bands')) }}
),

ranked as (
    -- every snapshot with the date and reference segment space of its series' latest snapshot
    select
        snapshots.*,
        row_number() over latest_first as recency_rank,
        first_value(snapshot_date) over latest_first as window_end,
        first_value(reference_run_id) over latest_first as latest_reference_run_id
    from snapshots
    window latest_first as (partition by customer_id, axis, snapshot_type order by snapshot_date desc)
),

latest as (
    select * from ranked where recency_rank = 1
),

window_start as (
    -- the latest snapshot at least window_days before the latest one, same reference
    select * from (
        select
            ranked.*,
            row_number() over (partition by customer_id, axis, snapshot_type order by snapshot_date desc)
                as start_rank
        from ranked
        where reference_run_id = latest_reference_run_id
            and snapshot_date <= {{ dbt.dateadd('day', -window_days, 'window_end') }}
    ) as candidates
    where start_rank = 1
),

scored as (
    select
        latest.customer_id,
        latest.axis,
        latest.snapshot_type,
        window_start.snapshot_date as window_start,
        latest.snapshot_date as window_end,
        window_start.dominant_segment_id as old_dominant_segment_id,
        latest.dominant_segment_id as new_dominant_segment_id,
        {{ membership_drift_score('latest.memberships', 'window_start.memberships') }} as drift_score,
        {{ event_surprise('latest.', 'window_start.',
                          days_between('window_start.snapshot_date', 'latest.snapshot_date')) }}
            as event_surprise
    from latest
    inner join window_start
        on latest.customer_id = window_start.customer_id
        and latest.axis = window_start.axis
        and latest.snapshot_type = window_start.snapshot_type
),

indexed as (
    select
        scored.*,
        band_lists.severities,
        {{ severity_band_index('scored.severity_score', 'band_lists') }} as band_index
    from (
        select
            window_steps.*,
            {{ severity_score('window_steps.axis', 'window_steps.drift_score', 'window_steps.event_surprise') }}
                as severity_score
        from scored as window_steps
    ) as scored
    cross join band_lists
),

windowed as (
    select
        customer_id,
        axis,
        old_dominant_segment_id,
        new_dominant_segment_id,
        snapshot_type,
        {{ list_element('severities', 'band_index') }} as severity,
        drift_score,
        event_surprise,
        drift_score * event_surprise as ageing_adjusted_drift,
        severity_score,
        drift_score / nullif({{ days_between('window_start', 'window_end') }}, 0) as drift_velocity,
        {{ window_days }} as window_days,
        old_dominant_segment_id <> new_dominant_segment_id as segment_changed,
        window_start,
        window_end
    from indexed
),

final as (
    {{ cast_to_contract('windowed') }}
)

select * from final
