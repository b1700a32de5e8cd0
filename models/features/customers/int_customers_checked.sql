{#
    Every customer named by an order row (usable or not), and why it cannot be
    segmented: no usable order, or none before the as-of date. One row per customer.
#}
with

named as (
    select distinct customer_id from {{ ref('stg_customer_orders_validated') }} where customer_id is not null
),

usable as (
    select distinct customer_id from {{ ref('stg_customer_orders') }}
),

featured as (
    select customer_id from {{ ref('customer_features') }}
),

checked as (
    select
        ----- ids
        named.customer_id,
        ----- strings
        case
            when featured.customer_id is not null then null
            when usable.customer_id is not null then 'no_orders_before_as_of_date'
            else 'no_valid_orders'
        end as quarantine_reason
    from named
    left join usable
        on named.customer_id = usable.customer_id
    left join featured
        on named.customer_id = featured.customer_id
)

select * from checked
