{# Order rows set aside, with the raw text and the reason. One row per raw row. #}
with

validated as (
    select * from {{ ref('stg_customer_orders_validated') }}
),

quarantined as (
    select
        ----- ids
        order_id,
        customer_id,
        store_id,
        ----- strings
        quarantine_reason,
        amount_text,
        ordered_at_text,
        product_category,
        ----- numerics
        amount,
        item_count,
        ----- timestamps
        ordered_at
    from validated
    where quarantine_reason is not null
)

select * from quarantined
