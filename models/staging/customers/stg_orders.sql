{# Usable orders: typed, one row per order. #}
with

validated as (
    select * from {{ ref('stg_orders_validated') }}
),

usable as (
    select
        ----- ids
        order_id,
        customer_id,
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
)

select * from usable
