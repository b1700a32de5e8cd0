{#
    Drift analysis over a window (var customer_drift_window_days, default 30):
    for every customer, axis and snapshot type, the latest snapshot compared
    with the latest snapshot on or before (latest date - window) in the same
    reference segment space. One row per customer, axis and type that has
    both. Same drift maths, event surprise and severity bands as
    customer_drift (the surprise over the whole window). Both segments carry
    their names (the reference model's).
#}
{%- set window_days = var('customer_drift_window_days') | int -%}
with

snapshots as (
    select
        customer_id, axis, snapshot_type, snapshot_date, reference_run_id, dominant_segment_id, memberships,
        orders_at_snapshot, usual_gap_days
    from {{ ref('customer_membership_snapshots') }}
),

names as (
    select * from {{ ref('int_customer_reference_segment_names') }}
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
        latest.reference_run_id,
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
        indexed.customer_id,
        indexed.axis,
        indexed.old_dominant_segment_id,
        indexed.new_dominant_segment_id,
        old_names.segment_name as old_dominant_segment_name,
        new_names.segment_name as new_dominant_segment_name,
        indexed.snapshot_type,
        {{ list_element('indexed.severities', 'indexed.band_index') }} as severity,
        indexed.drift_score,
        indexed.event_surprise,
        indexed.drift_score * indexed.event_surprise as ageing_adjusted_drift,
        indexed.severity_score,
        indexed.drift_score / nullif({{ days_between('indexed.window_start', 'indexed.window_end') }}, 0)
            as drift_velocity,
        {{ window_days }} as window_days,
        indexed.old_dominant_segment_id <> indexed.new_dominant_segment_id as segment_changed,
        indexed.window_start,
        indexed.window_end
    from indexed
    left join names as old_names
        on {{ is_reference_segment('old_names', 'indexed.reference_run_id', 'indexed.axis',
                                   'indexed.old_dominant_segment_id') }}
    left join names as new_names
        on {{ is_reference_segment('new_names', 'indexed.reference_run_id', 'indexed.axis',
                                   'indexed.new_dominant_segment_id') }}
),

final as (
    {{ cast_to_contract('windowed') }}
)

select * from final
