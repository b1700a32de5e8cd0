{#
    sorted_listagg(measure, delimiter): aggregate of the measure's values joined
    by delimiter (a SQL string literal, e.g. "', '"), in ascending order of the
    values themselves.
    DuckDB: dbt.listagg with an order by. Spark: dbt-spark's listagg ignores the
    order, so the collected list is sorted before it is joined.
#}
{% macro sorted_listagg(measure, delimiter) %}
    {{ return(adapter.dispatch('sorted_listagg', 'cluster_marts')(measure, delimiter)) }}
{% endmacro %}

{% macro default__sorted_listagg(measure, delimiter) -%}
    {{ dbt.listagg(measure, delimiter, 'order by ' ~ measure) }}
{%- endmacro %}

{% macro spark__sorted_listagg(measure, delimiter) -%}
    array_join(array_sort(collect_list({{ measure }})), {{ delimiter }})
{%- endmacro %}
