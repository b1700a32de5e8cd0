{#
    Drift analysis over a window (var customer_drift_window_days, default 30):
    for every customer, axis and snapshot type, the latest snapshot compared
    with the latest snapshot on or before (latest date - window). One row per
    customer, axis and type that has both. Same drift maths and severity bands
    as customer_drift.
#}
{%- set window_days = var('customer_drift_window_days') | int -%}
with

snapshots as (
    select * from {{ ref('customer_membership_snapshots') }}
),

bands as (
    select * from {{ ref('drift_severity_bands') }}
),

latest as (
    -- the latest snapshot and its reference segment space
    select customer_id, axis, snapshot_type, snapshot_date as window_end, reference_run_id
    from (
        select distinct customer_id, axis, snapshot_type, snapshot_date, reference_run_id,
               dense_rank() over (partition by customer_id, axis, snapshot_type order by snapshot_date desc)
                   as recency_rank
        from snapshots
    ) as ranked
    where recency_rank = 1
),

window_start as (
    select latest.customer_id, latest.axis, latest.snapshot_type, latest.window_end,
           max(snapshots.snapshot_date) as window_start
    from latest
    inner join snapshots
        on latest.customer_id = snapshots.customer_id
        and latest.axis = snapshots.axis
        and latest.snapshot_type = snapshots.snapshot_type
        and latest.reference_run_id = snapshots.reference_run_id
        and snapshots.snapshot_date <= {{ dbt.dateadd('day', -window_days, 'latest.window_end') }}
    group by latest.customer_id, latest.axis, latest.snapshot_type, latest.window_end
),

signed as (
    select window_start.*, snapshots.segment_id,
           case when snapshots.snapshot_date = window_start.window_end then snapshots.membership
                else -snapshots.membership end as signed_membership,
           case when snapshots.snapshot_date = window_start.window_end and snapshots.is_dominant
                then snapshots.segment_id end as new_dominant,
           case when snapshots.snapshot_date = window_start.window_start and snapshots.is_dominant
                then snapshots.segment_id end as old_dominant
    from window_start
    inner join snapshots
        on window_start.customer_id = snapshots.customer_id
        and window_start.axis = snapshots.axis
        and window_start.snapshot_type = snapshots.snapshot_type
        and snapshots.snapshot_date in (window_start.window_start, window_start.window_end)
),

per_segment as (
    select customer_id, axis, snapshot_type, window_start, window_end, segment_id,
           sum(signed_membership) as membership_change,
           max(new_dominant) as new_dominant, max(old_dominant) as old_dominant
    from signed
    group by customer_id, axis, snapshot_type, window_start, window_end, segment_id
),

scored as (
    select customer_id, axis, snapshot_type, window_start, window_end,
           {{ membership_drift_score('membership_change') }} as drift_score,
           max(new_dominant) as new_dominant_segment_id, max(old_dominant) as old_dominant_segment_id
    from per_segment
    group by customer_id, axis, snapshot_type, window_start, window_end
),

final as (
    select
        ----- ids
        cast(scored.customer_id as varchar) as customer_id,
        cast(scored.axis as varchar) as axis,
        cast(scored.old_dominant_segment_id as integer) as old_dominant_segment_id,
        cast(scored.new_dominant_segment_id as integer) as new_dominant_segment_id,
        ----- strings
        cast(scored.snapshot_type as varchar) as snapshot_type,
        cast(bands.severity as varchar) as severity,
        ----- numerics
        cast(scored.drift_score as double) as drift_score,
        cast(scored.drift_score / nullif({{ dbt.datediff('scored.window_start', 'scored.window_end', 'day') }}, 0)
            as double) as drift_velocity,
        cast({{ window_days }} as integer) as window_days,
        ----- booleans
        cast(scored.old_dominant_segment_id <> scored.new_dominant_segment_id as boolean) as segment_changed,
        ----- dates
        cast(scored.window_start as date) as window_start,
        cast(scored.window_end as date) as window_end
    from scored
    left join bands
        on {{ in_severity_band('scored.drift_score', 'bands') }}
)

select * from final
