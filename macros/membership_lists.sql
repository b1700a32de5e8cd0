{#
    Memberships stored as lists (one double[] per customer, axis and snapshot,
    position segment_id + 1). List literals, list functions and lambdas are
    DuckDB syntax: they live here and in fcm_memberships / drift, so a port
    to another engine rewrites these macros only.

    double_list(expressions): a list literal of the expressions cast to double.

    ordered_list(expression, order_by): aggregate, the values of a group as a
    list in the given order.

    scaled_axis_values(feature_values, positions, scaler_center, scaler_scale):
    a row's values of one axis in the reference scaler's space,
    (value - center) / scale. feature_values is the row's packed feature
    list; positions (int[]) picks the axis's features from it; scaler_center,
    scaler_scale (double[]) are the reference scaler of those features in the
    same order.

    axis_squared_distances(scaled_values, centres): squared euclidean
    distances of the scaled values to every centre (double[][], one list per
    segment, same feature order), one per centre in the order of `centres`. A
    null feature value adds nothing (as a sum over features skips it).

    dominant_segment(memberships): segment_id of the largest membership, the
    lowest id on ties; largest_membership(memberships): that membership.

    membership_of(memberships, segment_id): the membership in one segment
    (null when the list has no such segment).

    segment_ids(memberships): set-returning, one row per segment id 0..k-1
    (for the long views).

    memberships_json(memberships): '{"0": 0.25, "1": 0.75}', rounded to 6 digits.
#}
{% macro double_list(expressions) -%}
    [{% for expression in expressions %}cast({{ expression }} as double){% if not loop.last %}, {% endif %}{% endfor %}]
{%- endmacro %}

{% macro ordered_list(expression, order_by) -%}
    array_agg({{ expression }} order by {{ order_by }})
{%- endmacro %}

{% macro scaled_axis_values(feature_values, positions, scaler_center, scaler_scale) -%}
    list_transform({{ positions }}, lambda position, j:
        ({{ feature_values }}[position] - {{ scaler_center }}[j]) / {{ scaler_scale }}[j])
{%- endmacro %}

{% macro axis_squared_distances(scaled_values, centres) -%}
    list_transform({{ centres }}, lambda centre: list_sum(list_transform(centre, lambda center_value, j:
        power({{ scaled_values }}[j] - center_value, 2))))
{%- endmacro %}

{% macro dominant_segment(memberships) -%}
    (list_position({{ memberships }}, list_max({{ memberships }})) - 1)
{%- endmacro %}

{% macro largest_membership(memberships) -%}
    list_max({{ memberships }})
{%- endmacro %}

{% macro membership_of(memberships, segment_id) -%}
    {{ memberships }}[{{ segment_id }} + 1]
{%- endmacro %}

{% macro segment_ids(memberships) -%}
    unnest(range(0, len({{ memberships }})))
{%- endmacro %}

{% macro memberships_json(memberships) -%}
    '{' || array_to_string(list_transform({{ memberships }}, lambda membership, position:
        '"' || cast(position - 1 as varchar) || '": ' || cast(round(membership, 6) as varchar)), ', ') || '}'
{%- endmacro %}
