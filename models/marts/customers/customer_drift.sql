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
    drift per day; segment_changed when the dominant segment differs; both
    segments' names (the reference model's).
#}
with

timeline as (
    select * from {{ ref('customer_drift_timeline') }}
    where previous_snapshot_date is not null
),

drift as (
    select
        customer_id,
        axis,
        previous_dominant_segment_id as old_dominant_segment_id,
        dominant_segment_id as new_dominant_segment_id,
        previous_dominant_segment_name as old_dominant_segment_name,
        dominant_segment_name as new_dominant_segment_name,
        snapshot_type,
        severity,
        drift_score,
        event_surprise,
        ageing_adjusted_drift,
        severity_score,
        days_between,
        drift_velocity,
        severity_rank,
        segment_changed,
        previous_snapshot_date,
        snapshot_date
    from timeline
),

final as (
    {{ cast_to_contract('drift') }}
)

select * from final
