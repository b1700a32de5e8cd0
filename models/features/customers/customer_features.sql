{#
    Behavioural features of every customer with at least one valid order, as of
    var customer_as_of_date (null = the day after the latest valid order).
    One row per customer. The features are grouped into axes (engagement,
    value, loyalty, activity, category mix, timing, returns) in
    python_models/customers/_customers__models.yml; the feature logic is the
    macro customer_features_from, shared with the monthly snapshots.
#}
{%- set as_of_date = var('customer_as_of_date') -%}
with

orders as (
    select * from {{ ref('stg_customer_orders') }}
),

as_of as (
    {% if as_of_date %}
    select cast('{{ as_of_date }}' as timestamp) as as_of_at
    {% else %}
    select cast({{ dbt.dateadd('day', 1, 'cast(max(ordered_at) as date)') }} as timestamp) as as_of_at
    from orders
    {% endif %}
),

scoped_orders as (
    select orders.*, as_of.as_of_at
    from orders
    cross join as_of
    where orders.ordered_at < as_of.as_of_at
),

features as (
    {{ customer_features_from('scoped_orders', ['store_id'], behaviour=true) }}
)

select * from features
