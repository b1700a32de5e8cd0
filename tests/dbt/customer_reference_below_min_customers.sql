{#
    Warns (does not fail) when the reference date has fewer customers than var
    customer_reference_min_customers: no default snapshot date had as many (the
    latest was taken) or var customer_reference_date was set to an earlier one.
    The reference segment space is fitted on few customers.
#}
{{ config(severity='warn') }}

with

reference as (
    select count(*) as customers, max(reference_date) as reference_date
    from {{ ref('int_customer_reference_features') }}
)

select customers, reference_date
from reference
where customers < {{ var('customer_reference_min_customers', 50) | int }}
