{#
    One row per customer and fitted axis, read from the primary method (var
    customer_primary_method, default fcm: the method the snapshots, drift and
    lapse risk use): the customer's segment id and path, the segment's name
    (the leaf) and its top-level segment's name, the membership in the
    dominant segment and whether the customer is transitioning. The long form
    of customer_profile. A skipped axis has no rows.
#}
with

segments as (
    select * from {{ ref('customer_segments') }}
    where method = '{{ var("customer_primary_method") }}'
),

profile_axes as (
    select
        customer_id,
        axis,
        method,
        segment_id,
        segment_path,
        segment_name,
        segment_group,
        max_membership as membership,
        is_transitioning,
        run_id
    from segments
),

final as (
    {{ cast_to_contract('profile_axes') }}
)

select * from final
