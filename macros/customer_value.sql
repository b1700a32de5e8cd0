{#
    customer_value_histories_from(scoped_orders, group_columns): the purchase
    history of every customer as the value models read it (cluster_marts.value),
    orders counted one per customer-day as the literature counts them (two
    orders on one day are one purchase occasion, their amounts summed):

    repeat_days (x): purchase days after the first one; days_first_to_last
    (t_x): days from the first to the last purchase day; days_since_first (T):
    days from the first purchase day to the as-of date; repeat_day_value: the
    mean spend of the repeat purchase days (the first day left out, as
    Gamma-Gamma is fitted; null when x = 0); total_spend: every order's amount.
    Gross of returns. Money summed as decimals (exact, whatever the engine's
    order of addition).

    scoped_orders: customer_id, ordered_at, amount, as_of_at, the
    group_columns, and only orders placed before as_of_at.
#}
{% macro customer_value_histories_from(scoped_orders, group_columns=[]) %}
{%- set keys = (['customer_id'] + group_columns + ['as_of_at']) | join(', ') -%}
with

order_days as (
    select
        {{ keys }},
        cast(ordered_at as date) as order_day,
        sum(cast(amount as decimal(38, 6))) as day_spend
    from {{ scoped_orders }}
    group by {{ keys }}, cast(ordered_at as date)
),

numbered as (
    select
        *,
        row_number() over (partition by {{ keys }} order by order_day) as day_number
    from order_days
),

histories as (
    select
        {{ keys }},
        count(*) - 1 as repeat_days,
        min(order_day) as first_day,
        max(order_day) as last_day,
        sum(case when day_number > 1 then day_spend end) as repeat_spend,
        sum(day_spend) as total_spend
    from numbered
    group by {{ keys }}
),

final as (
    select
        {{ keys }},
        cast(repeat_days as integer) as repeat_days,
        cast({{ dbt.datediff('first_day', 'last_day', 'day') }} as double) as days_first_to_last,
        cast({{ dbt.datediff('first_day', 'cast(as_of_at as date)', 'day') }} as double) as days_since_first,
        cast(repeat_spend as double) / nullif(repeat_days, 0) as repeat_day_value,
        cast(total_spend as double) as total_spend
    from histories
)

select * from final
{% endmacro %}
