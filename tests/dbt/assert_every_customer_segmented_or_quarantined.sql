{#
    Nothing lost: every customer named by an order is, on every axis and
    method, in customer_segments, or is in customer_features_quarantine with a
    reason. Returns the customers (per axis and method) that are neither.
#}
with

customers as (
    select customer_id from {{ ref('int_customers_checked') }}
),

fits as (
    select axis, method from {{ ref('customer_fit_metrics') }}
),

expected as (
    select customers.customer_id, fits.axis, fits.method
    from customers
    cross join fits
)

select expected.*
from expected
left join {{ ref('customer_segments') }} as segments
    on expected.customer_id = segments.customer_id
    and expected.axis = segments.axis
    and expected.method = segments.method
left join {{ ref('customer_features_quarantine') }} as quarantine
    on expected.customer_id = quarantine.customer_id
where segments.customer_id is null and quarantine.customer_id is null
