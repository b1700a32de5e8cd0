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

band_lists as (
    {{ severity_band_lists(ref('drift_severity_bands')) }}
),

all_steps as (
    {{ drift_steps('snapshots') }}
),

steps as (
    select
        all_steps.*,
        band_lists.severities,
        band_lists.severity_ranks,
        {{ severity_band_index('all_steps.drift_score', 'band_lists') }} as band_index
    from all_steps
    cross join band_lists
    where all_steps.previous_snapshot_date is not null
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
        cast(steps.severities[steps.band_index] as varchar) as severity,
        ----- numerics
        cast(steps.drift_score as double) as drift_score,
        cast(steps.days_between as integer) as days_between,
        cast(steps.drift_score / nullif(steps.days_between, 0) as double) as drift_velocity,
        cast(steps.severity_ranks[steps.band_index] as integer) as severity_rank,
        ----- booleans
        cast(steps.dominant_segment_id <> steps.previous_dominant_segment_id as boolean) as segment_changed,
        ----- dates
        cast(steps.previous_snapshot_date as date) as previous_snapshot_date,
        cast(steps.snapshot_date as date) as snapshot_date
    from steps
)

select * from drift
