{#
    Contracted customer segments. One row per customer, axis and method: the
    dominant (top-level) segment and its membership, the runner-up, whether the
    customer is transitioning (dominant membership below
    var customer_transition_threshold), the segment path after hierarchical
    subdivision (e.g. 0.1.2) with its name and the top-level segment's name
    (int_customer_segment_names), and the row scores: distance to the own centre,
    normalised distance (anomaly score) and margin to the nearest other centre.
#}
with

assignments as (
    select * from {{ ref('int_customer_assignments') }}
),

names as (
    select * from {{ ref('int_customer_segment_names') }}
),

segmented as (
    select
        assignments.*,
        names.segment_name,
        names.segment_group,
        assignments.max_membership < {{ var('customer_transition_threshold') }} as is_transitioning
    from assignments
    inner join names
        on {{ same_segment('assignments', 'names') }}
),

final as (
    {{ cast_to_contract('segmented') }}
)

select * from final
