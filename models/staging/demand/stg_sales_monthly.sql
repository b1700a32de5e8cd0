{# Usable monthly demand: one row per DFU and month (months without a row mean zero demand). #}
with

validated as (
    select * from {{ ref('stg_sales_monthly_validated') }}
),

usable as (
    select
        ----- ids
        dfu_id,
        ----- numerics
        demand,
        ----- dates
        sales_month
    from validated
    where quarantine_reason is null
)

select * from usable
