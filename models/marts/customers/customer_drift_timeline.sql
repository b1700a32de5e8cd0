{#
    Per-customer timeline within one reference segment space (reference_run_id;
    a new reference starts a new timeline at FIRST_SNAPSHOT): every snapshot of
    a customer on an axis, in order,
    with its dominant segment, the drift since the previous snapshot, the
    severity, whether the segment changed, the running count of segment
    changes and the cumulative drift. One row per customer, axis, type and
    snapshot date.
#}
with

snapshots as (
    select distinct
        customer_id, axis, snapshot_type, snapshot_date, dominant_segment_id, max_membership, reference_run_id
    from {{ ref('customer_membership_snapshots') }}
),

drift as (
    select * from {{ ref('customer_drift') }}
),

timeline as (
    select
        ----- ids
        snapshots.customer_id,
        snapshots.axis,
        snapshots.dominant_segment_id,
        snapshots.reference_run_id,
        ----- strings
        snapshots.snapshot_type,
        coalesce(drift.severity, 'FIRST_SNAPSHOT') as severity,
        ----- numerics
        snapshots.max_membership,
        drift.drift_score,
        drift.drift_velocity,
        cast(row_number() over customer_sequence as integer) as snapshot_number,
        cast(sum(case when drift.segment_changed then 1 else 0 end) over customer_sequence as integer)
            as segment_changes_so_far,
        cast(sum(coalesce(drift.drift_score, 0)) over customer_sequence as double) as cumulative_drift,
        ----- booleans
        coalesce(drift.segment_changed, false) as segment_changed,
        ----- dates
        snapshots.snapshot_date
    from snapshots
    left join drift
        on snapshots.customer_id = drift.customer_id
        and snapshots.axis = drift.axis
        and snapshots.snapshot_type = drift.snapshot_type
        and snapshots.snapshot_date = drift.snapshot_date
    window customer_sequence as (
        partition by snapshots.customer_id, snapshots.axis, snapshots.snapshot_type, snapshots.reference_run_id
        order by snapshots.snapshot_date
        rows between unbounded preceding and current row
    )
)

select * from timeline
