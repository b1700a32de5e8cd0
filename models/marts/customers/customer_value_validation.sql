{#
    How far to trust the value figures on this shop: for every snapshot of this
    run and every horizon (var customer_value_horizon_days and var
    customer_value_validation_horizons) that has closed by the as-of moment,
    the predicted totals of the customers who ordered before the snapshot
    against what they did in the holdout [snapshot end, + horizon): orders
    counted one per customer-day, spend gross of returns, undiscounted. One
    row per snapshot type, date and horizon.

    orders_error / spend_error: predicted total / actual total - 1;
    spend_rank_correlation: Spearman's rank correlation of expected and actual
    spend (Pearson's on average ranks, ties shared); top_decile_capture: the
    share of the actual spend made by the tenth of customers with the highest
    expected spend.
#}
with

predicted as (
    select
        customer_id,
        snapshot_type,
        cast(snapshot_date as date) as snapshot_date,
        horizon_days,
        as_of_at as snapshot_at,
        {{ dbt.dateadd('day', 'horizon_days', 'as_of_at') }} as holdout_end_at,
        coalesce(expected_orders, 0) as expected_orders,
        coalesce(expected_spend, 0) as expected_spend
    from {{ ref('int_customer_value_snapshots') }}
),

build_as_of as (
    select max(as_of_at) as as_of_at from {{ ref('customer_features') }}
),

closed as (
    select predicted.*
    from predicted
    cross join build_as_of
    where predicted.holdout_end_at <= build_as_of.as_of_at
),

windows as (
    -- the holdout windows: a few, one per snapshot and horizon (a snapshot ends at the same moment for every
    -- customer; the moment is a key below all the same). Snapshots end at midnight and horizons are whole
    -- days, so a window holds whole days: [first_day, end_day)
    select distinct
        snapshot_type,
        snapshot_date,
        horizon_days,
        snapshot_at,
        cast(snapshot_at as date) as first_day,
        cast(holdout_end_at as date) as end_day
    from closed
),

holdout_start as (
    select min(snapshot_at) as first_at from windows
),

order_days as (
    -- orders count one per customer-day: each customer's days, from the first window on
    select
        orders.customer_id,
        cast(orders.ordered_at as date) as order_day,
        sum(orders.amount) as day_spend
    from {{ ref('stg_customer_orders') }} as orders
    cross join holdout_start
    where orders.ordered_at >= holdout_start.first_at
    group by orders.customer_id, cast(orders.ordered_at as date)
),

holdout as (
    -- each customer-day in the windows it falls in: a range join on a few windows, not a pairing of every
    -- order with every prediction of its customer (broadcast on Spark)
    select /*+ broadcast(windows) */
        order_days.customer_id,
        windows.snapshot_type,
        windows.snapshot_date,
        windows.horizon_days,
        windows.snapshot_at,
        count(*) as actual_orders,
        sum(order_days.day_spend) as actual_spend
    from order_days
    inner join windows
        on
            order_days.order_day >= windows.first_day
            and order_days.order_day < windows.end_day
    group by order_days.customer_id, windows.snapshot_type, windows.snapshot_date, windows.horizon_days,
        windows.snapshot_at
),

compared as (
    select
        closed.*,
        coalesce(holdout.actual_orders, 0) as actual_orders,
        coalesce(holdout.actual_spend, 0) as actual_spend
    from closed
    left join holdout
        on
            closed.customer_id = holdout.customer_id
            and closed.snapshot_type = holdout.snapshot_type
            and closed.snapshot_date = holdout.snapshot_date
            and closed.horizon_days = holdout.horizon_days
            and closed.snapshot_at = holdout.snapshot_at
),

ranked as (
    -- average ranks (ties share the mean of their positions): with L values below and T equal (self
    -- included), rank() is L + 1 and the count over the default frame (up to the value's last tie) L + T,
    -- so their mean is L + (T + 1) / 2; both read one sort per spend. The top decile counts down from the
    -- highest expected spend (ties by customer_id)
    select
        *,
        (rank() over by_expected + count(*) over by_expected) / 2.0 as expected_rank,
        (rank() over by_actual + count(*) over by_actual) / 2.0 as actual_rank,
        row_number() over (
            partition by snapshot_type, snapshot_date, horizon_days order by expected_spend desc, customer_id asc
        ) as value_position,
        count(*) over (partition by snapshot_type, snapshot_date, horizon_days) as n_customers
    from compared
    window
        by_expected as (
            partition by snapshot_type, snapshot_date, horizon_days order by expected_spend
        ),
        by_actual as (
            partition by snapshot_type, snapshot_date, horizon_days order by actual_spend
        )
),

validation as (
    select
        snapshot_type,
        snapshot_date,
        horizon_days,
        max(snapshot_at) as snapshot_at,
        count(*) as customers,
        sum(expected_orders) as expected_orders,
        sum(actual_orders) as actual_orders,
        sum(expected_spend) as expected_spend,
        sum(actual_spend) as actual_spend,
        sum(expected_orders) / nullif(sum(actual_orders), 0) - 1 as orders_error,
        sum(expected_spend) / nullif(sum(actual_spend), 0) - 1 as spend_error,
        corr(expected_rank, actual_rank) as spend_rank_correlation,
        sum(case when value_position <= ceil(n_customers / 10.0) then actual_spend else 0 end)
        / nullif(sum(actual_spend), 0) as top_decile_capture
    from ranked
    group by snapshot_type, snapshot_date, horizon_days
),

final as (
    {{ cast_to_contract('validation') }}
)

select * from final
