{#
    Every raw monthly sales row, typed, with the reason it cannot be used (or
    null). When a DFU-month has several usable rows, the highest demand is kept
    (a restatement usually adds late orders) and the others are quarantined as
    duplicate_row (same value) or conflicting_duplicate_dfu_month.
#}
with

source as (
    {{ raw_source('fact_sales_monthly') }}
),

typed as (
    select
        ----- ids
        {{ clean_text('dfu_id') }} as dfu_id,
        ----- strings
        cast(demand as {{ dbt.type_string() }}) as demand_text,
        cast(month as {{ dbt.type_string() }}) as month_text,
        ----- numerics
        {{ try_cast('demand', 'double') }} as demand,
        ----- dates
        cast({{ dbt.date_trunc('month', try_cast('month', 'date')) }} as date) as sales_month
    from source
),

value_checked as (
    select
        *,
        case
            when dfu_id is null then 'missing_dfu_id'
            when sales_month is null then 'invalid_month'
            when demand is null and demand_text is not null then 'non_numeric_demand'
            when demand is null then 'missing_demand'
            when demand < 0 then 'negative_demand'
        end as value_reason
    from typed
),

ranked as (
    select
        *,
        row_number() over highest_first as dfu_month_rank,
        first_value(demand) over highest_first as kept_demand
    from value_checked
    window highest_first as (
        partition by dfu_id, sales_month, value_reason is null
        order by demand desc, month_text asc, demand_text asc
    )
),

reasons as (
    select
        dfu_id,
        demand_text,
        month_text,
        demand,
        sales_month,
        coalesce(
            value_reason,
            case
                when dfu_month_rank > 1 and demand = kept_demand then 'duplicate_row'
                when dfu_month_rank > 1 then 'conflicting_duplicate_dfu_month'
            end
        ) as quarantine_reason
    from ranked
)

select * from reasons
