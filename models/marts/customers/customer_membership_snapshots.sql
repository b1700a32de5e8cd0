{#
    Snapshot history of fuzzy memberships, kept across runs. Long form: one row
    per customer, axis, snapshot date and type, and reference segment, with the
    snapshot's dominant segment and context (orders and value at the snapshot,
    days since first order, tenure). The key of a snapshot is (customer_id,
    axis, snapshot_date, snapshot_type); see customer_snapshots for one row per
    snapshot with the memberships as JSON.

    Incremental, delete+insert on (snapshot_type, snapshot_date): rerunning a
    date replaces that date (idempotent); dates not in this run's
    int_customer_snapshot_dates are left alone, so older snapshots survive.
    --full-refresh does NOT rebuild it unless
    var customer_snapshots_allow_full_refresh is true. Old dates are removed only
    by `make snapshot-retention`.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['snapshot_type', 'snapshot_date'],
    on_schema_change='append_new_columns',
    full_refresh=(none if var('customer_snapshots_allow_full_refresh') else false),
) }}
with

memberships as (
    select * from {{ ref('int_customer_snapshot_memberships') }}
),

features as (
    select
        customer_id, snapshot_date, snapshot_type, frequency, monetary,
        tenure_days, first_ordered_at, last_ordered_at, as_of_at
    from {{ ref('int_customer_snapshot_features') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by customer_id, snapshot_date, snapshot_type, axis
            order by membership desc, segment_id
        ) as membership_rank
    from memberships
),

dominant as (
    select customer_id, snapshot_date, snapshot_type, axis, segment_id as dominant_segment_id,
           membership as max_membership
    from ranked
    where membership_rank = 1
),

snapshots as (
    select
        ----- ids
        cast(ranked.customer_id as varchar) as customer_id,
        cast(ranked.axis as varchar) as axis,
        cast(ranked.segment_id as integer) as segment_id,
        cast(dominant.dominant_segment_id as integer) as dominant_segment_id,
        cast(ranked.reference_run_id as varchar) as reference_run_id,
        ----- strings
        cast(ranked.snapshot_type as varchar) as snapshot_type,
        ----- numerics
        cast(ranked.membership as double) as membership,
        cast(dominant.max_membership as double) as max_membership,
        cast(features.frequency as integer) as orders_at_snapshot,
        cast(features.monetary as double) as value_at_snapshot,
        cast(features.tenure_days as double) as days_since_first_order,
        cast(features.tenure_days / 30.44 as double) as tenure_months,
        ----- booleans
        cast(ranked.segment_id = dominant.dominant_segment_id as boolean) as is_dominant,
        ----- dates
        cast(ranked.snapshot_date as date) as snapshot_date,
        ----- timestamps
        cast(features.last_ordered_at as timestamp) as last_ordered_at,
        cast(features.as_of_at as timestamp) as snapshot_at,
        cast(current_timestamp as timestamp) as taken_at
    from ranked
    inner join dominant
        on ranked.customer_id = dominant.customer_id
        and ranked.snapshot_date = dominant.snapshot_date
        and ranked.snapshot_type = dominant.snapshot_type
        and ranked.axis = dominant.axis
    inner join features
        on ranked.customer_id = features.customer_id
        and ranked.snapshot_date = features.snapshot_date
        and ranked.snapshot_type = features.snapshot_type
)

select * from snapshots
{% if not var('customer_snapshots_enabled') %}where false{% endif %}
