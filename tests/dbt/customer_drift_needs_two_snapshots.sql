{#
    Warns (does not fail) when the snapshot history holds fewer than two
    snapshot dates of a type in the latest reference segment space: drift
    (customer_drift, customer_drift_timeline's steps, customer_drift_window)
    and customer_segment_transitions are empty until a second snapshot is taken.
#}
{{ config(severity='warn') }}

with

snapshots as (
    select snapshot_type, reference_run_id, snapshot_date
    from {{ ref('customer_membership_snapshots') }}
),

latest_reference as (
    select snapshot_type, max(reference_run_id) as reference_run_id
    from (
        select
            snapshot_type,
            first_value(reference_run_id) over (
                partition by snapshot_type order by snapshot_date desc
            ) as reference_run_id
        from snapshots
    ) as ranked
    group by snapshot_type
),

dates as (
    select snapshots.snapshot_type, count(distinct snapshots.snapshot_date) as snapshot_dates
    from snapshots
    inner join latest_reference
        on snapshots.snapshot_type = latest_reference.snapshot_type
        and snapshots.reference_run_id = latest_reference.reference_run_id
    group by snapshots.snapshot_type
)

select snapshot_type, snapshot_dates from dates where snapshot_dates < 2
