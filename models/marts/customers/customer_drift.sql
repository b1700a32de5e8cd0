{#
    Drift between consecutive snapshots of the same customer, axis and
    snapshot type, scored in the same reference segment space (reference_run_id). One row per customer, axis, type and snapshot (from the
    second snapshot on).
    drift_score = euclidean distance between the two membership vectors
    (reference segments missing on one side count as 0) / sqrt(2), capped at 1;
    severity from seeds/drift_severity_bands.csv (STABLE < 0.1 <= MINOR < 0.3
    <= MODERATE < 0.5 <= SIGNIFICANT < 0.7 <= MAJOR by default); velocity =
    drift per day; segment_changed when the dominant segment differs.
#}
with

snapshots as (
    select * from {{ ref('customer_membership_snapshots') }}
),

bands as (
    select * from {{ ref('drift_severity_bands') }}
),

snapshot_sequence as (
    select distinct customer_id, axis, snapshot_type, snapshot_date, dominant_segment_id, reference_run_id
    from snapshots
),

consecutive as (
    select
        customer_id,
        axis,
        snapshot_type,
        snapshot_date,
        dominant_segment_id,
        lag(snapshot_date) over sequence as previous_snapshot_date,
        lag(dominant_segment_id) over sequence as previous_dominant_segment_id
    from snapshot_sequence
    -- drift is only measured within one reference segment space
    window sequence as (partition by customer_id, axis, snapshot_type, reference_run_id order by snapshot_date)
),

pairs as (
    select * from consecutive where previous_snapshot_date is not null
),

signed_memberships as (
    -- the new snapshot's memberships count +, the previous one's -; a segment
    -- present on one side only counts as 0 on the other
    select pairs.customer_id, pairs.axis, pairs.snapshot_type, pairs.snapshot_date,
           current_side.segment_id, current_side.membership as signed_membership
    from pairs
    inner join snapshots as current_side
        on pairs.customer_id = current_side.customer_id
        and pairs.axis = current_side.axis
        and pairs.snapshot_type = current_side.snapshot_type
        and pairs.snapshot_date = current_side.snapshot_date
    union all
    select pairs.customer_id, pairs.axis, pairs.snapshot_type, pairs.snapshot_date,
           previous_side.segment_id, -previous_side.membership as signed_membership
    from pairs
    inner join snapshots as previous_side
        on pairs.customer_id = previous_side.customer_id
        and pairs.axis = previous_side.axis
        and pairs.snapshot_type = previous_side.snapshot_type
        and pairs.previous_snapshot_date = previous_side.snapshot_date
),

membership_changes as (
    select customer_id, axis, snapshot_type, snapshot_date, segment_id,
           sum(signed_membership) as membership_change
    from signed_memberships
    group by customer_id, axis, snapshot_type, snapshot_date, segment_id
),

scored as (
    select
        customer_id,
        axis,
        snapshot_type,
        snapshot_date,
        {{ membership_drift_score('membership_change') }} as drift_score
    from membership_changes
    group by customer_id, axis, snapshot_type, snapshot_date
),

drift as (
    select
        ----- ids
        cast(pairs.customer_id as varchar) as customer_id,
        cast(pairs.axis as varchar) as axis,
        cast(pairs.previous_dominant_segment_id as integer) as old_dominant_segment_id,
        cast(pairs.dominant_segment_id as integer) as new_dominant_segment_id,
        ----- strings
        cast(pairs.snapshot_type as varchar) as snapshot_type,
        cast(bands.severity as varchar) as severity,
        ----- numerics
        cast(scored.drift_score as double) as drift_score,
        cast({{ dbt.datediff('pairs.previous_snapshot_date', 'pairs.snapshot_date', 'day') }} as integer)
            as days_between,
        cast(scored.drift_score / nullif({{ dbt.datediff('pairs.previous_snapshot_date', 'pairs.snapshot_date', 'day') }}, 0)
            as double) as drift_velocity,
        cast(bands.severity_rank as integer) as severity_rank,
        ----- booleans
        cast(pairs.dominant_segment_id <> pairs.previous_dominant_segment_id as boolean) as segment_changed,
        ----- dates
        cast(pairs.previous_snapshot_date as date) as previous_snapshot_date,
        cast(pairs.snapshot_date as date) as snapshot_date
    from pairs
    inner join scored
        on pairs.customer_id = scored.customer_id
        and pairs.axis = scored.axis
        and pairs.snapshot_type = scored.snapshot_type
        and pairs.snapshot_date = scored.snapshot_date
    left join bands
        on {{ in_severity_band('scored.drift_score', 'bands') }}
)

select * from drift
