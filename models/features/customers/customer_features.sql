{#
    Behavioural features of every customer with at least one valid order, as of
    var customer_as_of_date (null = the day after the latest valid order).
    One row per customer. The features are grouped into axes (value,
    frequency/loyalty, category mix, timing, returns) in
    python_models/customers/_customers__models.yml; category shares follow
    var customer_categories.
#}
{%- set as_of_date = var('customer_as_of_date') -%}
{%- set categories = var('customer_categories') -%}
with

orders as (
    select * from {{ ref('stg_orders') }}
),

as_of as (
    select
        {% if as_of_date %}
        cast('{{ as_of_date }}' as timestamp) as as_of_at
        {% else %}
        cast({{ dbt.dateadd('day', 1, 'cast(max(ordered_at) as date)') }} as timestamp) as as_of_at
        {% endif %}
    from orders
),

orders_in_scope as (
    select
        orders.*,
        extract(hour from orders.ordered_at) as order_hour,
        extract(isodow from orders.ordered_at) as order_weekday,
        lag(orders.ordered_at) over (
            partition by orders.customer_id order by orders.ordered_at, orders.order_id
        ) as previous_ordered_at
    from orders
    cross join as_of
    where orders.ordered_at < as_of.as_of_at
),

gaps as (
    select
        *,
        {{ dbt.datediff('previous_ordered_at', 'ordered_at', 'hour') }} / 24.0 as gap_days
    from orders_in_scope
),

aggregated as (
    select
        customer_id,
        count(*) as frequency,
        sum(amount) as monetary,
        avg(amount) as avg_order_value,
        avg(item_count) as items_per_order,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at,
        avg(gap_days) as avg_interpurchase_days,
        stddev_samp(gap_days) as std_interpurchase_days,
        avg(case when is_returned then 1.0 else 0.0 end) as return_rate,
        avg(case when order_weekday in (6, 7) then 1.0 else 0.0 end) as weekend_share,
        avg(case when order_hour >= 18 then 1.0 else 0.0 end) as evening_share,
        avg(case when order_weekday between 1 and 5 and order_hour between 9 and 16 then 1.0 else 0.0 end)
            as business_hours_share,
        avg(order_hour) as mean_order_hour,
        {% for category in categories %}
        avg(case when product_category = '{{ category }}' then 1.0 else 0.0 end) as share_{{ category }},
        {% endfor %}
        avg(case when product_category not in ('{{ categories | join("', '") }}')
                   or product_category is null then 1.0 else 0.0 end) as share_other
    from gaps
    group by customer_id
),

features as (
    select
        ----- ids
        aggregated.customer_id,
        ----- numerics
        cast(aggregated.frequency as integer) as frequency,
        aggregated.monetary,
        aggregated.avg_order_value,
        aggregated.items_per_order,
        {{ dbt.datediff('aggregated.last_ordered_at', 'as_of.as_of_at', 'hour') }} / 24.0 as recency_days,
        {{ dbt.datediff('aggregated.first_ordered_at', 'as_of.as_of_at', 'hour') }} / 24.0 as tenure_days,
        aggregated.frequency
            / greatest({{ dbt.datediff('aggregated.first_ordered_at', 'as_of.as_of_at', 'hour') }} / 24.0 / 30.44, 1.0)
            as orders_per_month,
        aggregated.avg_interpurchase_days,
        aggregated.std_interpurchase_days,
        coalesce(
            aggregated.avg_interpurchase_days,
            {{ dbt.datediff('aggregated.first_ordered_at', 'as_of.as_of_at', 'hour') }} / 24.0
        ) as interpurchase_days_filled,
        ln(aggregated.frequency) as log_frequency,
        ln(1 + aggregated.monetary) as log_monetary,
        ln(1 + aggregated.avg_order_value) as log_avg_order_value,
        aggregated.return_rate,
        aggregated.weekend_share,
        aggregated.evening_share,
        aggregated.business_hours_share,
        aggregated.mean_order_hour,
        {% for category in categories %}
        aggregated.share_{{ category }},
        {% endfor %}
        aggregated.share_other,
        ----- timestamps
        aggregated.first_ordered_at,
        aggregated.last_ordered_at,
        as_of.as_of_at
    from aggregated
    cross join as_of
)

select * from features
