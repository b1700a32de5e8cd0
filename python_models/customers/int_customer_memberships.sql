{#
    Customer soft memberships in long form, one row per customer, axis, method and top-level segment: the
    `memberships` list of the `assignment` rows of int_customer_segmentation, one row per element. The list
    holds the segments in the fit's canonical order; the `cluster_memory` rows of the same fit give the
    published segment id of each position (kept from the previous build, so not always the position).
    A view: the warehouse stores one row per customer, axis and method.
#}
{{ config(materialized='view') }}
with

assignments as (
    {{ record_rows(ref('int_customer_segmentation'), 'assignment', [
        'customer_id', 'axis', 'method', 'memberships', 'run_id'
    ]) }}
),

segment_positions as (
    select
        {{ json_text('record', 'scope') }} as axis,
        {{ json_text('record', 'method') }} as method,
        cast({{ json_text('record', 'position') }} as integer) as position,
        cast({{ json_text('record', 'cluster_id') }} as bigint) as segment_id
    from {{ ref('int_customer_segmentation') }}
    where record_type = 'cluster_memory'
),

memberships as (
    select
        customer_id,
        axis,
        method,
        {{ unnest_with_position('memberships', 'position', 'membership') }},
        run_id
    from assignments
),

published as (
    select
        memberships.customer_id,
        memberships.axis,
        memberships.method,
        segment_positions.segment_id,
        memberships.membership,
        memberships.run_id
    from memberships
    inner join segment_positions
        on
            memberships.axis = segment_positions.axis
            and memberships.method = segment_positions.method
            and memberships.position = segment_positions.position
)

select * from published
