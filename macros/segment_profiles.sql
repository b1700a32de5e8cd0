{#
    Pieces of customer_segment_profiles' per-fit passes.

    segment_members(axis, method): a subquery of the members of one fit's
    segments (customer_segments), every member under its top-level segment
    (segment_path = segment_id, is_top_level true) and again under its
    subsegment when it has one (depth > 0, is_top_level false); axis and
    method are SQL literals.

    feature_rows(features): a subquery of one row per name of `features`
    (column `feature`), to turn a row of per-feature columns into rows.
#}
{% macro segment_members(axis, method) -%}
    (
        select
            axis, method, segment_id, cast(segment_id as {{ dbt.type_string() }}) as segment_path,
            true as is_top_level, customer_id, max_membership, distance_to_centroid
        from {{ ref('customer_segments') }}
        where axis = {{ axis }} and method = {{ method }}
        union all
        select
            axis, method, segment_id, segment_path,
            false as is_top_level, customer_id, max_membership, distance_to_centroid
        from {{ ref('customer_segments') }}
        where axis = {{ axis }} and method = {{ method }} and depth > 0
    )
{%- endmacro %}

{% macro feature_rows(features) -%}
    ({% for column in features %}select '{{ column }}' as feature{{ ' union all ' if not loop.last }}{% endfor %})
{%- endmacro %}
