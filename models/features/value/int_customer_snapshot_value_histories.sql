{#
    The purchase history of every customer at every snapshot of this run
    (int_customer_snapshot_dates, is_in_run), from the orders placed before the
    end of the snapshot date only, one order per customer-day (macro
    customer_value_histories_from): the input of int_customer_value_snapshots.
#}
with

snapshot_dates as (
    select * from {{ ref('int_customer_snapshot_dates') }} where is_in_run
),

scoped_orders as (
    select
        orders.customer_id,
        orders.ordered_at,
        orders.amount,
        snapshot_dates.snapshot_type,
        snapshot_dates.snapshot_date,
        snapshot_dates.snapshot_at as as_of_at
    from {{ ref('stg_orders') }} as orders
    inner join snapshot_dates
        on orders.ordered_at < snapshot_dates.snapshot_at
),

histories as (
    {{ customer_value_histories_from('scoped_orders', ['snapshot_type', 'snapshot_date']) }}
)

select * from histories
