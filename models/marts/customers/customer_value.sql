{#
    Customer value at the as-of date: one row per customer of
    customer_features, with the expected orders (purchase days, one per
    customer-day) and spend over var customer_value_horizon_days, p_alive, the
    expected average order value and the model that produced them
    (int_customer_value: MBG/NBD + Gamma-Gamma), and the customer's rank by
    expected spend. Spend is gross of returns and undiscounted.
#}
with

features as (
    select customer_id, as_of_at from {{ ref('customer_features') }}
),

predicted as (
    select * from {{ ref('int_customer_value') }}
),

valued as (
    select
        features.customer_id,
        predicted.expected_orders,
        predicted.expected_spend,
        predicted.p_alive,
        predicted.expected_avg_order_value,
        row_number() over (
            order by coalesce(predicted.expected_spend, -1) desc, features.customer_id asc
        ) as value_rank,
        predicted.horizon_days,
        predicted.model,
        features.as_of_at
    from features
    inner join predicted
        on features.customer_id = predicted.customer_id
),

final as (
    {{ cast_to_contract('valued') }}
)

select * from final
