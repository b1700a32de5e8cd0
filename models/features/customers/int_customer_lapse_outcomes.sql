{#
    The outcome of every snapshot whose window has closed: did the customer
    place no order within var customer_lapse_horizon_days (default 90) after
    the snapshot? One row per customer, snapshot type and date, for the
    snapshots whose window ended by the as-of moment of the build (orders after
    it are not known). These are the training labels of the lapse model
    (int_customer_lapse_scores), which scores each snapshot with a model fitted
    only on the rows whose window had closed by then.
#}
{%- set horizon = var('customer_lapse_horizon_days', 90) | int -%}
with

snapshots as (
    select customer_id, snapshot_type, snapshot_date, as_of_at
    from {{ ref('int_customer_snapshot_features') }}
),

build_as_of as (
    select max(as_of_at) as as_of_at from {{ ref('customer_features') }}
),

orders as (
    select customer_id, ordered_at from {{ ref('stg_customer_orders') }}
),

closed as (
    select
        snapshots.*,
        {{ dbt.dateadd('day', horizon, 'snapshots.as_of_at') }} as outcome_known_at
    from snapshots
    cross join build_as_of
    where {{ dbt.dateadd('day', horizon, 'snapshots.as_of_at') }} <= build_as_of.as_of_at
),

outcomes as (
    select
        closed.customer_id,
        closed.snapshot_type,
        closed.snapshot_date,
        closed.outcome_known_at,
        count(orders.ordered_at) = 0 as lapsed
    from closed
    left join orders
        on
            closed.customer_id = orders.customer_id
            and closed.as_of_at <= orders.ordered_at
            and closed.outcome_known_at > orders.ordered_at
    group by closed.customer_id, closed.snapshot_type, closed.snapshot_date, closed.outcome_known_at
)

select * from outcomes
