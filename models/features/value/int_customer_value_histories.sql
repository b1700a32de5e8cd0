{#
    The purchase history of every customer of customer_features at its as-of
    moment, one order per customer-day (macro customer_value_histories_from):
    the input of the value model int_customer_value.
#}
with

as_of as (
    select max(as_of_at) as as_of_at from {{ ref('customer_features') }}
),

scoped_orders as (
    select
        orders.customer_id,
        orders.ordered_at,
        orders.amount,
        as_of.as_of_at
    from {{ ref('stg_customer_orders') }} as orders
    cross join as_of
    where orders.ordered_at < as_of.as_of_at
),

histories as (
    {{ customer_value_histories_from('scoped_orders') }}
)

select * from histories
