{#
    Contracted customer segments. One row per customer, axis and method: the
    dominant (top-level) segment and its membership, the runner-up, whether the
    customer is transitioning (dominant membership below
    var customer_transition_threshold), the segment path after hierarchical
    subdivision (e.g. 0.1.2), and the row scores: distance to the own centre,
    normalised distance (anomaly score) and margin to the nearest other centre.
#}
with

assignments as (
    select * from {{ ref('int_customer_assignments') }}
),

typed as (
    select
        ----- ids
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(axis as {{ dbt.type_string() }}) as axis,
        cast(method as {{ dbt.type_string() }}) as method,
        cast(segment_id as integer) as segment_id,
        cast(second_segment_id as integer) as second_segment_id,
        cast(run_id as {{ dbt.type_string() }}) as run_id,
        ----- strings
        cast(segment_path as {{ dbt.type_string() }}) as segment_path,
        ----- numerics
        cast(max_membership as double) as max_membership,
        cast(second_membership as double) as second_membership,
        cast(depth as integer) as depth,
        cast(distance_to_centroid as double) as distance_to_centroid,
        cast(normalized_distance as double) as normalized_distance,
        cast(margin as double) as margin,
        ----- booleans
        cast(max_membership < {{ var('customer_transition_threshold') }} as boolean) as is_transitioning
    from assignments
)

select * from typed
