{#
    Usable orders: typed, one row per order, with the customer's previous
    usable order's timestamp (previous_ordered_at, null for the first order;
    ties ordered by order_id). The previous order of an order placed before
    any date is the same whether or not later orders are counted, so the
    point-in-time features of every snapshot date reuse it instead of ranking
    each date's orders again.
#}
with

validated as (
    select * from {{ ref('stg_customer_orders_validated') }}
),

usable as (
    select
        ----- ids
        order_id,
        customer_id,
        store_id,
        ----- strings
        product_category,
        ----- numerics
        amount,
        item_count,
        ----- booleans
        is_returned,
        ----- timestamps
        ordered_at,
        returned_at
    from validated
    where quarantine_reason is null
),

sequenced as (
    select
        *,
        lag(ordered_at) over (partition by customer_id order by ordered_at, order_id) as previous_ordered_at
    from usable
)

select * from sequenced
