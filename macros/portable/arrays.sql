{#
    list_sum(expression): the sum of the non-null elements of a numeric list;
    null for a null list, an empty list or one of nulls only.
    DuckDB: list_sum(). Spark: aggregate() over the non-null elements.
#}
{% macro list_sum(expression) %}
    {{ return(adapter.dispatch('list_sum', 'cluster_marts')(expression)) }}
{% endmacro %}

{% macro default__list_sum(expression) -%}
    list_sum({{ expression }})
{%- endmacro %}

{% macro spark__list_sum(expression) -%}
    case when size(filter({{ expression }}, element -> element is not null)) > 0 then
        aggregate(filter({{ expression }}, element -> element is not null), cast(0 as double),
                  (total, element) -> total + element)
    end
{%- endmacro %}


{#
    unnest_with_position(expression, position, element): select-list items
    turning each row into one row per element of a list, with its 0-based
    position and its value, named `position` and `element`; a null or empty
    list gives no row.
    DuckDB: generate_subscripts() - 1 and unnest(). Spark: posexplode().
#}
{% macro unnest_with_position(expression, position, element) %}
    {{ return(adapter.dispatch('unnest_with_position', 'cluster_marts')(expression, position, element)) }}
{% endmacro %}

{% macro default__unnest_with_position(expression, position, element) -%}
    generate_subscripts({{ expression }}, 1) - 1 as {{ position }},
    unnest({{ expression }}) as {{ element }}
{%- endmacro %}

{% macro spark__unnest_with_position(expression, position, element) -%}
    posexplode({{ expression }}) as ({{ position }}, {{ element }})
{%- endmacro %}


{#
    list_element(expression, position): the element of a list at a 1-based
    position; null past the end or for a null position.
    DuckDB: list[position]. Spark: the 0-based subscript list[position - 1],
    null out of range with ANSI mode off (as in dbt-spark's session), also for
    position 0, where element_at() fails.
#}
{% macro list_element(expression, position) %}
    {{ return(adapter.dispatch('list_element', 'cluster_marts')(expression, position)) }}
{% endmacro %}

{% macro default__list_element(expression, position) -%}
    {{ expression }}[{{ position }}]
{%- endmacro %}

{% macro spark__list_element(expression, position) -%}
    {{ expression }}[({{ position }}) - 1]
{%- endmacro %}


{#
    count_at_most(expression, value): how many elements of a list are <= value
    (0 for a null value).
    DuckDB: len(list_filter()). Spark: size(filter()).
#}
{% macro count_at_most(expression, value) %}
    {{ return(adapter.dispatch('count_at_most', 'cluster_marts')(expression, value)) }}
{% endmacro %}

{% macro default__count_at_most(expression, value) -%}
    len(list_filter({{ expression }}, lambda bound: bound <= {{ value }}))
{%- endmacro %}

{% macro spark__count_at_most(expression, value) -%}
    size(filter({{ expression }}, element -> element <= {{ value }}))
{%- endmacro %}
