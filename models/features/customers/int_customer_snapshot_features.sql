{#
    Point-in-time customer features for every snapshot date of this run: only
    orders placed before the end of the snapshot date count (no leakage from
    the future). One row per customer, snapshot date and type; a customer
    appears from its first order on. Same feature logic as customer_features
    (macro customer_features_from).
#}
with

orders as (
    select * from {{ ref('stg_customer_orders') }}
),

snapshot_dates as (
    select * from {{ ref('int_customer_snapshot_dates') }} where is_in_run
),

scoped_orders as (
    select
        orders.*,
        snapshot_dates.snapshot_date,
        snapshot_dates.snapshot_type,
        snapshot_dates.snapshot_at as as_of_at
    from orders
    inner join snapshot_dates
        on orders.ordered_at < snapshot_dates.snapshot_at
),

features as (
    {{ customer_features_from('scoped_orders', ['snapshot_date', 'snapshot_type']) }}
)

select * from features
