{#
    Drift analysis over a window (var customer_drift_window_days, default 30):
    for every customer, axis and snapshot type, the latest snapshot compared
    with the latest snapshot on or before (latest date - window) in the same
    reference segment space. One row per customer, axis and type that has
    both. Same drift maths, event surprise and severity bands as
    customer_drift (the surprise over the whole window). Both segments carry
    their names (the reference model's).

    No window function and no join of snapshot pairs: two narrow aggregate
    passes over the history's keys and dates find every series' latest date
    and reference, then its window start; one join on the snapshot key then
    reads the two snapshots of each series (their membership lists only), and
    a group per series puts their fields side by side (macro max_by over a
    flag: 1 on the row wanted). An aggregate over every snapshot's list (each
    kept while it was the latest) cost more than these narrow passes.
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
    -- every series' latest snapshot date and its reference segment space; narrow: read from the
    -- history itself, not from `snapshots` (a CTE read twice is materialised whole, membership lists and all)
    select
        customer_id,
        axis,
        snapshot_type,
        max(snapshot_date) as window_end,
        {{ max_by('reference_run_id', 'snapshot_date') }} as reference_run_id
    from {{ ref('customer_membership_snapshots') }}
    group by customer_id, axis, snapshot_type
),

series_windows as (
    -- the window start of every series: its latest snapshot at least window_days before the latest,
    -- in the same reference (narrow again: keys, dates and references only)
    select
        dates.customer_id,
        dates.axis,
        dates.snapshot_type,
        series_ends.reference_run_id,
        series_ends.window_end,
        max(case
            when dates.reference_run_id = series_ends.reference_run_id
                and dates.snapshot_date <= {{ dbt.dateadd('day', -window_days, 'series_ends.window_end') }}
                then dates.snapshot_date
        end) as window_start
    from {{ ref('customer_membership_snapshots') }} as dates
    inner join series_ends
        on dates.customer_id = series_ends.customer_id
        and dates.axis = series_ends.axis
        and dates.snapshot_type = series_ends.snapshot_type
    group by dates.customer_id, dates.axis, dates.snapshot_type, series_ends.reference_run_id, series_ends.window_end
),

wanted as (
    -- the two snapshots each series with a window compares: its latest (is_end) and the window start
    select customer_id, axis, snapshot_type, reference_run_id, window_end, window_start,
        window_end as snapshot_date, 1 as is_end
    from series_windows
    where window_start is not null
    union all
    select customer_id, axis, snapshot_type, reference_run_id, window_end, window_start,
        window_start as snapshot_date, 0 as is_end
    from series_windows
    where window_start is not null
),

window_ends as (
    -- one row per series: the fields of its two snapshots (one join on the snapshot's key reads the
    -- membership lists of those two rows only; no aggregate over every snapshot's list)
    select
        wanted.customer_id,
        wanted.axis,
        wanted.snapshot_type,
        wanted.reference_run_id,
        wanted.window_end,
        wanted.window_start,
        {{ max_by('snapshots.dominant_segment_id', 'case when wanted.is_end = 1 then 1 end') }}
            as new_dominant_segment_id,
        {{ max_by('snapshots.memberships', 'case when wanted.is_end = 1 then 1 end') }} as new_memberships,
        {{ max_by('snapshots.orders_at_snapshot', 'case when wanted.is_end = 1 then 1 end') }}
            as new_orders_at_snapshot,
        {{ max_by('snapshots.dominant_segment_id', 'case when wanted.is_end = 0 then 1 end') }}
            as old_dominant_segment_id,
        {{ max_by('snapshots.memberships', 'case when wanted.is_end = 0 then 1 end') }} as old_memberships,
        {{ max_by('snapshots.orders_at_snapshot', 'case when wanted.is_end = 0 then 1 end') }}
            as old_orders_at_snapshot,
        {{ max_by('snapshots.usual_gap_days', 'case when wanted.is_end = 0 then 1 end') }} as old_usual_gap_days
    from snapshots
    inner join wanted
        on snapshots.customer_id = wanted.customer_id
        and snapshots.axis = wanted.axis
        and snapshots.snapshot_type = wanted.snapshot_type
        and snapshots.snapshot_date = wanted.snapshot_date
    group by wanted.customer_id, wanted.axis, wanted.snapshot_type, wanted.reference_run_id, wanted.window_end,
        wanted.window_start
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
