{#
    The purchase history of every customer at every snapshot of this run
    (int_customer_snapshot_dates, is_in_run), from the orders placed before the
    end of the snapshot date only (order day <= snapshot date), one order per
    customer-day, in the columns of macro customer_value_histories_from: the
    input of int_customer_value_snapshots.

    In one pass over the orders, without a row per order and snapshot: each
    purchase day falls in the period of the first snapshot that sees it
    (after the previous snapshot date, up to its own), periods are summed per
    customer (purchase days, spend, last day), and a running sum over the
    customer's snapshots gives the history at each one. The first purchase
    day and its spend are the customer's own, whatever the snapshot.
#}
with

snapshot_dates as (
    select
        snapshot_type,
        snapshot_date,
        snapshot_at,
        lag(snapshot_date) over (partition by snapshot_type order by snapshot_date) as previous_snapshot_date
    from {{ ref('int_customer_snapshot_dates') }}
    where is_in_run
),

order_days as (
    select
        customer_id,
        cast(ordered_at as date) as order_day,
        sum(cast(amount as decimal(38, 6))) as day_spend
    from {{ ref('stg_customer_orders') }}
    group by customer_id, cast(ordered_at as date)
),

first_days as (
    select customer_id, min(order_day) as first_day
    from order_days
    group by customer_id
),

first_purchases as (
    select first_days.customer_id, first_days.first_day, order_days.day_spend as first_spend
    from first_days
    inner join order_days
        on first_days.customer_id = order_days.customer_id
        and first_days.first_day = order_days.order_day
),

periods as (
    -- every purchase day in the period of the first snapshot that sees it
    select
        order_days.customer_id,
        snapshot_dates.snapshot_type,
        snapshot_dates.snapshot_date,
        count(*) as period_days,
        sum(order_days.day_spend) as period_spend,
        max(order_days.order_day) as period_last_day
    from order_days
    inner join snapshot_dates
        on order_days.order_day <= snapshot_dates.snapshot_date
        and (snapshot_dates.previous_snapshot_date is null
             or order_days.order_day > snapshot_dates.previous_snapshot_date)
    group by order_days.customer_id, snapshot_dates.snapshot_type, snapshot_dates.snapshot_date
),

running as (
    -- each customer from the first snapshot that sees their first purchase day on
    select
        first_purchases.customer_id,
        snapshot_dates.snapshot_type,
        snapshot_dates.snapshot_date,
        snapshot_dates.snapshot_at as as_of_at,
        cast(snapshot_dates.snapshot_at as date) as as_of_day,
        first_purchases.first_day,
        first_purchases.first_spend,
        sum(coalesce(periods.period_days, 0)) over customer_snapshots as purchase_days,
        sum(coalesce(periods.period_spend, 0)) over customer_snapshots as spend,
        max(periods.period_last_day) over customer_snapshots as last_day
    from first_purchases
    inner join snapshot_dates
        on first_purchases.first_day <= snapshot_dates.snapshot_date
    left join periods
        on first_purchases.customer_id = periods.customer_id
        and snapshot_dates.snapshot_type = periods.snapshot_type
        and snapshot_dates.snapshot_date = periods.snapshot_date
    window customer_snapshots as (
        partition by first_purchases.customer_id, snapshot_dates.snapshot_type
        order by snapshot_dates.snapshot_date
        rows between unbounded preceding and current row
    )
),

histories as (
    select
        customer_id,
        snapshot_type,
        snapshot_date,
        as_of_at,
        cast(purchase_days - 1 as integer) as repeat_days,
        cast(
            {{ days_between('first_day', 'last_day') }} as double
        ) as days_first_to_last,
        cast(
            {{ days_between('first_day', 'as_of_day') }} as double
        ) as days_since_first,
        cast(spend - first_spend as double) / nullif(purchase_days - 1, 0) as repeat_day_value,
        cast(spend as double) as total_spend
    from running
)

select * from histories
