{#
    Drift between consecutive snapshots of the same customer, axis and
    snapshot type, scored in the same reference segment space
    (reference_run_id). One row per customer, axis, type and snapshot (from
    the second snapshot on): the rows of customer_drift_timeline with a
    previous snapshot, where the drift maths runs once.
    drift_score = euclidean distance between the two membership vectors
    (reference segments missing on one side count as 0) / sqrt(2), capped at 1;
    event_surprise and ageing_adjusted_drift (see customer_drift_timeline);
    severity of severity_score (the adjusted drift on the axes of var
    customer_drift_ageing_axes, else drift_score) from seeds/drift_severity_bands.csv (STABLE < 0.1 <= MINOR < 0.3
    <= MODERATE < 0.5 <= SIGNIFICANT < 0.7 <= MAJOR by default); velocity =
    drift per day; segment_changed when the dominant segment differs.
#}
with

timeline as (
    select * from {{ ref('customer_drift_timeline') }}
    where previous_snapshot_date is not null
),

drift as (
    select
        ----- ids
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(axis as {{ dbt.type_string() }}) as axis,
        cast(previous_dominant_segment_id as integer) as old_dominant_segment_id,
        cast(dominant_segment_id as integer) as new_dominant_segment_id,
        ----- strings
        cast(snapshot_type as {{ dbt.type_string() }}) as snapshot_type,
        cast(severity as {{ dbt.type_string() }}) as severity,
        ----- numerics
        cast(drift_score as double) as drift_score,
        cast(event_surprise as double) as event_surprise,
        cast(ageing_adjusted_drift as double) as ageing_adjusted_drift,
        cast(severity_score as double) as severity_score,
        cast(days_between as integer) as days_between,
        cast(drift_velocity as double) as drift_velocity,
        cast(severity_rank as integer) as severity_rank,
        ----- booleans
        cast(segment_changed as boolean) as segment_changed,
        ----- dates
        cast(previous_snapshot_date as date) as previous_snapshot_date,
        cast(snapshot_date as date) as snapshot_date
    from timeline
)

select * from drift
