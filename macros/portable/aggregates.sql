{#
    Aggregate functions that DuckDB and Spark spell differently.

    max_by(value, order_by): aggregate, the value of the group's row with the
    largest order_by: the latest row's field with order_by a date, in one pass
    over the group instead of a sort or a window over every row. Rows whose
    order_by is null are skipped (so `case when <condition> then <order> end`
    restricts it to the rows that meet the condition, null when none does);
    the value itself may be null and is returned as it is. Ties: any one of
    the tied rows, so order by a key that is unique in the group.
    DuckDB: arg_max_null() (arg_max() would skip a null value and return
    another row's). Spark: max_by(), which keeps a null value.
#}
{% macro max_by(value, order_by) %}
    {{ return(adapter.dispatch('max_by', 'cluster_marts')(value, order_by)) }}
{% endmacro %}

{% macro default__max_by(value, order_by) -%}
    arg_max_null({{ value }}, {{ order_by }})
{%- endmacro %}

{% macro spark__max_by(value, order_by) -%}
    max_by({{ value }}, {{ order_by }})
{%- endmacro %}
