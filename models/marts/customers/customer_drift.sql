{#
    Drift between consecutive snapshots of the same customer, axis and
    snapshot type, scored in the same reference segment space
    (reference_run_id). One row per customer, axis, type and snapshot (from
    the second snapshot on).
    drift_score = euclidean distance between the two membership vectors
    (reference segments missing on one side count as 0) / sqrt(2), capped at 1
    (macros membership_drift_score, drift_steps: one window pass over the
    history, no join);
    severity from seeds/drift_severity_bands.csv (STABLE < 0.1 <= MINOR < 0.3
    <= MODERATE < 0.5 <= SIGNIFICANT < 0.7 <= MAJOR by default); velocity =
    drift per day; segment_changed when the dominant segment differs.
#}
with

snapshots as (
    select * from {{ ref('customer_membership_snapshots') }}
),

all_steps as (
    {{ drift_steps('snapshots') }}
),

steps as (
    select * from all_steps where previous_snapshot_date is not null
),

bands as (
    select * from {{ ref('drift_severity_bands') }}
),

drift as (
    select
        ----- ids
        cast(steps.customer_id as varchar) as customer_id,
        cast(steps.axis as varchar) as axis,
        cast(steps.previous_dominant_segment_id as integer) as old_dominant_segment_id,
        cast(steps.dominant_segment_id as integer) as new_dominant_segment_id,
        ----- strings
        cast(steps.snapshot_type as varchar) as snapshot_type,
        cast(bands.severity as varchar) as severity,
        ----- numerics
        cast(steps.drift_score as double) as drift_score,
        cast(steps.days_between as integer) as days_between,
        cast(steps.drift_score / nullif(steps.days_between, 0) as double) as drift_velocity,
        cast(bands.severity_rank as integer) as severity_rank,
        ----- booleans
        cast(steps.dominant_segment_id <> steps.previous_dominant_segment_id as boolean) as segment_changed,
        ----- dates
        cast(steps.previous_snapshot_date as date) as previous_snapshot_date,
        cast(steps.snapshot_date as date) as snapshot_date
    from steps
    left join bands
        on {{ in_severity_band('steps.drift_score', 'bands') }}
)

select * from drift
