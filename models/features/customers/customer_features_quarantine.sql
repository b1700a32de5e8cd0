{# Customers that cannot be segmented (every order of theirs was quarantined). One row per customer. #}
with

checked as (
    select * from {{ ref('int_customers_checked') }}
),

quarantined as (
    select
        ----- ids
        customer_id,
        ----- strings
        quarantine_reason
    from checked
    where quarantine_reason is not null
)

select * from quarantined
