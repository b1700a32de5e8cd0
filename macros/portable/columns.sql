{#
    is_number_column(column): whether a column from adapter.get_columns_in_relation
    is numeric, for the models that pick their numeric columns by type.
    DuckDB: Column.is_number() (integers, doubles, floats; not decimals).
    Spark: the same types, whose integer is spelled `int`, which dbt's
    Column.is_number() does not know.
#}
{% macro is_number_column(column) %}
    {{ return(adapter.dispatch('is_number_column', 'cluster_marts')(column)) }}
{% endmacro %}

{% macro default__is_number_column(column) %}
    {{ return(column.is_number()) }}
{% endmacro %}

{% macro spark__is_number_column(column) %}
    {{ return(column.is_number() or column.dtype | lower == 'int') }}
{% endmacro %}
