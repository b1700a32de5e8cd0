{#
    Per-customer timeline within one reference segment space (reference_run_id;
    a new reference starts a new timeline at FIRST_SNAPSHOT): every snapshot of
    a customer on an axis, in order, with its dominant segment, the drift
    since the previous snapshot, the severity, whether the segment changed,
    the running count of segment changes and the cumulative drift. One row
    per customer, axis, type and snapshot date. Same steps and bands as
    customer_drift (macro drift_steps), without a join to it.
#}
with

snapshots as (
    select * from {{ ref('customer_membership_snapshots') }}
),

steps as (
    {{ drift_steps('snapshots') }}
),

band_lists as (
    {{ severity_band_lists(ref('drift_severity_bands')) }}
),

indexed as (
    select steps.*, band_lists.severities, {{ severity_band_index('steps.drift_score', 'band_lists') }} as band_index
    from steps
    cross join band_lists
),

banded as (
    select
        steps.*,
        steps.severities[steps.band_index] as severity,
        steps.dominant_segment_id <> steps.previous_dominant_segment_id as segment_changed,
        steps.drift_score / nullif(steps.days_between, 0) as drift_velocity
    from indexed as steps
),

timeline as (
    select
        ----- ids
        customer_id,
        axis,
        dominant_segment_id,
        reference_run_id,
        ----- strings
        snapshot_type,
        coalesce(severity, 'FIRST_SNAPSHOT') as severity,
        ----- numerics
        max_membership,
        drift_score,
        drift_velocity,
        cast(row_number() over customer_sequence as integer) as snapshot_number,
        cast(sum(case when segment_changed then 1 else 0 end) over customer_sequence as integer)
            as segment_changes_so_far,
        cast(sum(coalesce(drift_score, 0)) over customer_sequence as double) as cumulative_drift,
        ----- booleans
        coalesce(segment_changed, false) as segment_changed,
        ----- dates
        snapshot_date
    from banded
    window customer_sequence as (
        partition by customer_id, axis, snapshot_type, reference_run_id
        order by snapshot_date
        rows between unbounded preceding and current row
    )
)

select * from timeline
