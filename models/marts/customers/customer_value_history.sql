{#
    predicted_ltv of every customer at every snapshot of this run: the
    expected spend over var customer_value_horizon_days (gross, undiscounted)
    of the value models fitted on that snapshot's histories alone
    (int_customer_value_snapshots), with the expected orders, p_alive and the
    expected average order value. One row per customer, snapshot type and date.
#}
{%- set horizon = var('customer_value_horizon_days', 365) | int -%}
with

predicted as (
    select
        customer_id,
        snapshot_type,
        -- a date again (it crosses the Python boundary as a timestamp)
        cast(snapshot_date as date) as snapshot_date,
        expected_spend as predicted_ltv,
        expected_orders,
        p_alive,
        expected_avg_order_value,
        horizon_days,
        model,
        as_of_at as snapshot_at
    from {{ ref('int_customer_value_snapshots') }}
    where horizon_days = {{ horizon }}
),

final as (
    {{ cast_to_contract('predicted') }}
)

select * from final
