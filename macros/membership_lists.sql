{#
    Memberships stored as lists (one double[] per customer, axis and snapshot,
    position segment_id + 1). List literals, list functions and lambdas are
    written differently on each engine: they live here and in fcm_memberships
    / drift, each macro with a default__ (DuckDB: list literals, list_*
    functions, 1-based lambda indexes) and a spark__ version (array(),
    element_at, transform / filter / aggregate, 0-based lambda indexes), so
    the models read the same on both engines.

    double_list(expressions): a list literal of the expressions cast to double.

    ordered_list(expression, order_by): aggregate, the values of a group as a
    list in the given order (Spark: collect_list of (order_by, value) pairs,
    sorted, then the values).

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

    Stable ids are not positions: a list of memberships is stored with the
    list of the segment ids of its positions (segment_ids), so a segment keeps
    its id when a refit puts it elsewhere in the list.

    dominant_segment(memberships, segment_ids): the segment id of the largest
    membership (the first position on ties); largest_membership(memberships):
    that membership.

    membership_of(memberships, segment_ids, segment_id): the membership in one
    segment (null when the list has no such segment).

    segment_positions(memberships): set-returning, one row per position
    1..k (for the long views: list_element(memberships, position) and
    list_element(segment_ids, position) are a pair).

    double_list_type(): the SQL type of a list of doubles (DuckDB double[],
    Spark array<double>).

    memberships_json(memberships, segment_ids): '{"3": 0.25, "0": 0.75}',
    segment id -> membership in list order, rounded to 6 digits (the numbers
    as DuckDB writes them on both engines: macro double_text).
#}

{#- one dispatcher per macro: the DuckDB body is default__, the Spark one spark__ -#}
{% macro double_list(expressions) -%}
    {{ return(adapter.dispatch('double_list', 'cluster_marts')(expressions)) }}
{%- endmacro %}

{% macro default__double_list(expressions) -%}
    [{% for expression in expressions %}cast({{ expression }} as double){% if not loop.last %}, {% endif %}{% endfor %}]
{%- endmacro %}

{% macro spark__double_list(expressions) -%}
    array(
        {%- for expression in expressions -%}
        cast({{ expression }} as double){% if not loop.last %}, {% endif %}
        {%- endfor -%}
    )
{%- endmacro %}

{% macro double_list_type() -%}
    {{ return(adapter.dispatch('double_list_type', 'cluster_marts')()) }}
{%- endmacro %}

{% macro default__double_list_type() -%}
    double[]
{%- endmacro %}

{% macro spark__double_list_type() -%}
    array<double>
{%- endmacro %}

{% macro ordered_list(expression, order_by) -%}
    {{ return(adapter.dispatch('ordered_list', 'cluster_marts')(expression, order_by)) }}
{%- endmacro %}

{% macro default__ordered_list(expression, order_by) -%}
    array_agg({{ expression }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_list(expression, order_by) -%}
    transform(array_sort(collect_list(named_struct('sort_key', {{ order_by }}, 'value', {{ expression }}))),
              pair -> pair.value)
{%- endmacro %}

{% macro scaled_axis_values(feature_values, positions, scaler_center, scaler_scale) -%}
    {{ return(adapter.dispatch('scaled_axis_values', 'cluster_marts')(
        feature_values, positions, scaler_center, scaler_scale)) }}
{%- endmacro %}

{% macro default__scaled_axis_values(feature_values, positions, scaler_center, scaler_scale) -%}
    list_transform({{ positions }}, lambda position, j:
        ({{ feature_values }}[position] - {{ scaler_center }}[j]) / {{ scaler_scale }}[j])
{%- endmacro %}

{% macro spark__scaled_axis_values(feature_values, positions, scaler_center, scaler_scale) -%}
    transform({{ positions }}, (position, j) ->
        (element_at({{ feature_values }}, position) - element_at({{ scaler_center }}, j + 1))
        / element_at({{ scaler_scale }}, j + 1))
{%- endmacro %}

{% macro axis_squared_distances(scaled_values, centres) -%}
    {{ return(adapter.dispatch('axis_squared_distances', 'cluster_marts')(scaled_values, centres)) }}
{%- endmacro %}

{% macro default__axis_squared_distances(scaled_values, centres) -%}
    list_transform({{ centres }}, lambda centre: list_sum(list_transform(centre, lambda center_value, j:
        power({{ scaled_values }}[j] - center_value, 2))))
{%- endmacro %}

{% macro spark__axis_squared_distances(scaled_values, centres) -%}
    transform({{ centres }}, centre -> {{ list_sum('transform(centre, (center_value, j) ->
        power(element_at(' ~ scaled_values ~ ', j + 1) - center_value, 2))') }})
{%- endmacro %}

{% macro dominant_segment(memberships, segment_ids) -%}
    {{ return(adapter.dispatch('dominant_segment', 'cluster_marts')(memberships, segment_ids)) }}
{%- endmacro %}

{% macro default__dominant_segment(memberships, segment_ids) -%}
    {{ segment_ids }}[list_position({{ memberships }}, list_max({{ memberships }}))]
{%- endmacro %}

{% macro spark__dominant_segment(memberships, segment_ids) -%}
    element_at({{ segment_ids }}, cast(array_position({{ memberships }}, array_max({{ memberships }})) as int))
{%- endmacro %}

{% macro largest_membership(memberships) -%}
    {{ return(adapter.dispatch('largest_membership', 'cluster_marts')(memberships)) }}
{%- endmacro %}

{% macro default__largest_membership(memberships) -%}
    list_max({{ memberships }})
{%- endmacro %}

{% macro spark__largest_membership(memberships) -%}
    array_max({{ memberships }})
{%- endmacro %}

{% macro membership_of(memberships, segment_ids, segment_id) -%}
    {{ return(adapter.dispatch('membership_of', 'cluster_marts')(memberships, segment_ids, segment_id)) }}
{%- endmacro %}

{% macro default__membership_of(memberships, segment_ids, segment_id) -%}
    {{ memberships }}[list_position({{ segment_ids }}, {{ segment_id }})]
{%- endmacro %}

{% macro spark__membership_of(memberships, segment_ids, segment_id) -%}
    case when array_contains({{ segment_ids }}, {{ segment_id }})
        then element_at({{ memberships }}, cast(array_position({{ segment_ids }}, {{ segment_id }}) as int)) end
{%- endmacro %}

{% macro segment_positions(memberships) -%}
    {{ return(adapter.dispatch('segment_positions', 'cluster_marts')(memberships)) }}
{%- endmacro %}

{% macro default__segment_positions(memberships) -%}
    unnest(range(1, len({{ memberships }}) + 1))
{%- endmacro %}

{% macro spark__segment_positions(memberships) -%}
    explode(transform({{ memberships }}, (membership, position) -> position + 1))
{%- endmacro %}

{% macro memberships_json(memberships, segment_ids) -%}
    {{ return(adapter.dispatch('memberships_json', 'cluster_marts')(memberships, segment_ids)) }}
{%- endmacro %}

{% macro default__memberships_json(memberships, segment_ids) -%}
    '{' || array_to_string(list_transform({{ memberships }}, lambda membership, position:
        '"' || cast({{ segment_ids }}[position] as {{ dbt.type_string() }}) || '": '
        || cast(round(membership, 6) as {{ dbt.type_string() }})), ', ') || '}'
{%- endmacro %}

{% macro spark__memberships_json(memberships, segment_ids) -%}
    concat('{', array_join(transform({{ memberships }}, (membership, position) ->
        concat('"', cast(element_at({{ segment_ids }}, position + 1) as string), '": ',
               {{ double_text('round(membership, 6)') }})), ', '), '}')
{%- endmacro %}
