{#
    Every DFU known to the master or the sales, with its months of history in
    the window and, when it cannot be clustered, the reason: not in the DFU
    master, no sales in the window, or fewer than var dfu_min_months months of
    history. One row per DFU.
#}
with

dfus as (
    select dfu_id from {{ ref('stg_dfus') }}
),

sales_dfus as (
    select distinct dfu_id from {{ ref('stg_sales_monthly') }}
),

window_months as (
    select
        dfu_id,
        count(*) as months_of_history,
        sum(case when has_sales_row then 1 else 0 end) as months_with_sales
    from {{ ref('int_dfu_demand_window') }}
    group by dfu_id
),

all_dfus as (
    select dfu_id from dfus
    union
    select dfu_id from sales_dfus
),

checked as (
    select
        ----- ids
        all_dfus.dfu_id,
        ----- strings
        case
            when dfus.dfu_id is null then 'not_in_dim_dfu'
            when window_months.dfu_id is null or window_months.months_with_sales = 0 then 'no_sales_in_window'
            when window_months.months_of_history < {{ var('dfu_min_months') | int }}
                then 'fewer_than_min_months'
        end as quarantine_reason,
        ----- numerics
        cast(coalesce(window_months.months_of_history, 0) as integer) as months_of_history
    from all_dfus
    left join dfus
        on all_dfus.dfu_id = dfus.dfu_id
    left join window_months
        on all_dfus.dfu_id = window_months.dfu_id
)

select * from checked
