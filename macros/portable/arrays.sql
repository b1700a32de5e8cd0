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
