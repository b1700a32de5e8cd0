{#
    The monthly demand series each DFU is described by: the months from its
    first sale (or the window start, whichever is later) up to the as-of month,
    with months that have no sales row filled with zero demand. One row per DFU
    and month. Window: var dfu_time_window months ending at var dfu_as_of_month
    (null = the latest month in the sales data).
#}
{%- set time_window = var('dfu_time_window') | int -%}
{%- set as_of_month = var('dfu_as_of_month') -%}
with

sales as (
    select dfu_id, sales_month, demand from {{ ref('stg_sales_monthly') }}
),

bounds as (
    {% if as_of_month %}
    select cast({{ dbt.date_trunc('month', "cast('" ~ as_of_month ~ "' as date)") }} as date) as as_of_month
    {% else %}
    select max(sales_month) as as_of_month
    from sales
    {% endif %}
),

month_spine as (
    select
        cast({{ dbt.dateadd('month', '1 - generated_number', 'bounds.as_of_month') }} as date)
            as sales_month
    from ({{ dbt.generate_series(time_window) }}) as series
    cross join bounds
),

first_sales as (
    select dfu_id, min(sales_month) as first_sales_month
    from sales
    group by dfu_id
),

dfu_months as (
    select
        first_sales.dfu_id,
        month_spine.sales_month
    from first_sales
    inner join month_spine
        on first_sales.first_sales_month <= month_spine.sales_month
),

filled as (
    select
        ----- ids
        dfu_months.dfu_id,
        ----- numerics
        coalesce(sales.demand, 0) as demand,
        sales.dfu_id is not null as has_sales_row,
        cast(row_number() over (
            partition by dfu_months.dfu_id order by dfu_months.sales_month
        ) - 1 as integer) as month_index,
        cast(extract(month from dfu_months.sales_month) as integer) as month_of_year,
        ----- dates
        dfu_months.sales_month
    from dfu_months
    left join sales
        on dfu_months.dfu_id = sales.dfu_id
        and dfu_months.sales_month = sales.sales_month
)

select * from filled
