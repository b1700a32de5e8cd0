{#
    Customer features as of the reference date (var customer_reference_date;
    null = the earliest date of the default schedule of the primary snapshot
    type (macro primary_snapshot_type) with at least var
    customer_reference_min_customers customers, or the latest when none has as
    many: the warn-level test customer_reference_below_min_customers says so), the data the
    reference segment space of the snapshots is fitted on. Pin
    customer_reference_date in dbt_project.yml once history matters: a new
    reference date refits the segment space (new reference_run_id), and drift is
    only measured between snapshots of the same reference. One row per customer.
#}
{%- set reference_date = var('customer_reference_date') -%}
{%- set min_customers = var('customer_reference_min_customers', 50) | int -%}
with

orders as (
    select * from {{ ref('stg_customer_orders') }}
),

reference as (
    {% if reference_date %}
    select cast('{{ reference_date }}' as date) as reference_date
    {% else %}
    select
        coalesce(
            min(case when customers >= {{ min_customers }} then snapshot_date end), max(snapshot_date)
        ) as reference_date
    from (
        select snapshot_dates.snapshot_date, count(distinct orders.customer_id) as customers
        from {{ ref('int_customer_snapshot_dates') }} as snapshot_dates
        left join orders
            on snapshot_dates.snapshot_at > orders.ordered_at
        where snapshot_dates.is_default and snapshot_dates.snapshot_type = '{{ primary_snapshot_type() }}'
        group by snapshot_dates.snapshot_date
    ) as default_dates
    {% endif %}
),

scoped_orders as (
    select
        orders.*,
        reference.reference_date,
        cast({{ dbt.dateadd('day', 1, 'reference.reference_date') }} as timestamp) as as_of_at
    from orders
    cross join reference
    where orders.ordered_at < {{ dbt.dateadd('day', 1, 'reference.reference_date') }}
),

features as (
    {{ customer_features_from('scoped_orders', ['reference_date']) }}
)

select * from features
