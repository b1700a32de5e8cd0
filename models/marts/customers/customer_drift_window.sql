{#
    Drift analysis over a window (var customer_drift_window_days, default 30):
    for every customer, axis and snapshot type, the latest snapshot compared
    with the latest snapshot on or before (latest date - window) in the same
    reference segment space. One row per customer, axis and type that has
    both. Same drift maths, event surprise and severity bands as
    customer_drift (the surprise over the whole window). Both segments carry
    their names (the reference model's).

    Two aggregate passes over the history, no window and no join of snapshot
    pairs: the first finds every series' latest date and reference (narrow:
    keys and a date), the second reads each snapshot with its series' end and
    keeps, per series, the latest snapshot's fields and those of the window
    start (macro max_by: the field of the group's row with the largest date;
    start_date is null for a snapshot that cannot start the window).
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

series_ends as (
    -- every series' latest snapshot date and its reference segment space; read from the history
    -- itself, not from `snapshots` (a CTE read twice is materialised whole, membership lists and all)
    select
        customer_id,
        axis,
        snapshot_type,
        max(snapshot_date) as window_end,
        {{ max_by('reference_run_id', 'snapshot_date') }} as reference_run_id
    from {{ ref('customer_membership_snapshots') }}
    group by customer_id, axis, snapshot_type
),

window_ends as (
    -- per series, the latest snapshot (largest snapshot_date) and the window start (largest
    -- start_date: at least window_days before the latest snapshot, same reference)
    select
        customer_id,
        axis,
        snapshot_type,
        reference_run_id,
        window_end,
        max(start_date) as window_start,
        {{ max_by('dominant_segment_id', 'snapshot_date') }} as new_dominant_segment_id,
        {{ max_by('memberships', 'snapshot_date') }} as new_memberships,
        {{ max_by('orders_at_snapshot', 'snapshot_date') }} as new_orders_at_snapshot,
        {{ max_by('dominant_segment_id', 'start_date') }} as old_dominant_segment_id,
        {{ max_by('memberships', 'start_date') }} as old_memberships,
        {{ max_by('orders_at_snapshot', 'start_date') }} as old_orders_at_snapshot,
        {{ max_by('usual_gap_days', 'start_date') }} as old_usual_gap_days
    from (
        select
            snapshots.customer_id,
            snapshots.axis,
            snapshots.snapshot_type,
            series_ends.reference_run_id,
            series_ends.window_end,
            snapshots.snapshot_date,
            snapshots.dominant_segment_id,
            snapshots.memberships,
            snapshots.orders_at_snapshot,
            snapshots.usual_gap_days,
            case
                when snapshots.reference_run_id = series_ends.reference_run_id
                    and snapshots.snapshot_date
                    <= {{ dbt.dateadd('day', -window_days, 'series_ends.window_end') }}
                    then snapshots.snapshot_date
            end as start_date
        from snapshots
        inner join series_ends
            on snapshots.customer_id = series_ends.customer_id
            and snapshots.axis = series_ends.axis
            and snapshots.snapshot_type = series_ends.snapshot_type
    ) as dated
    group by customer_id, axis, snapshot_type, reference_run_id, window_end
),

scored as (
    select
        customer_id,
        axis,
        snapshot_type,
        reference_run_id,
        window_start,
        window_end,
        old_dominant_segment_id,
        new_dominant_segment_id,
        {{ membership_drift_score('new_memberships', 'old_memberships') }} as drift_score,
        {{ event_surprise('new_', 'old_', days_between('window_start', 'window_end')) }} as event_surprise
    from window_ends
    where window_start is not null
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
