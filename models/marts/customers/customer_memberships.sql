{# Contracted soft memberships. One row per customer, axis, method and top-level segment. #}
with

memberships as (
    select * from {{ ref('int_customer_memberships') }}
),

typed as (
    select
        ----- ids
        cast(customer_id as varchar) as customer_id,
        cast(axis as varchar) as axis,
        cast(method as varchar) as method,
        cast(segment_id as integer) as segment_id,
        cast(run_id as varchar) as run_id,
        ----- numerics
        cast(membership as double) as membership
    from memberships
)

select * from typed
