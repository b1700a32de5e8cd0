{#
    Customer soft memberships in long form, one row per customer, axis, method and top-level segment: the
    `memberships` list of the `assignment` rows of int_customer_segmentation, one row per element (the list is
    indexed by segment id). A view: the warehouse stores one row per customer, axis and method.
#}
{{ config(materialized='view') }}
with

assignments as (
    {{ record_rows(ref('int_customer_segmentation'), 'assignment', [
        'customer_id', 'axis', 'method', 'memberships', 'run_id'
    ]) }}
),

memberships as (
    select
        customer_id,
        axis,
        method,
        {{ unnest_with_position('memberships', 'segment_id', 'membership') }},
        run_id
    from assignments
)

select * from memberships
