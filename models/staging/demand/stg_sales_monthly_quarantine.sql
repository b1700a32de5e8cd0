{# Monthly sales rows set aside, with the raw text and the reason. One row per raw row. #}
with

validated as (
    select * from {{ ref('stg_sales_monthly_validated') }}
),

quarantined as (
    select
        ----- ids
        dfu_id,
        ----- strings
        quarantine_reason,
        demand_text,
        month_text,
        ----- numerics
        demand,
        ----- dates
        sales_month
    from validated
    where quarantine_reason is not null
)

select * from quarantined
