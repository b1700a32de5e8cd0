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


{#
    name_is_identifier(expression): true when the text is a lower-case
    identifier (a letter, then letters, digits or underscores), the form of
    the segment names. DuckDB: regexp_full_match(). Spark: rlike.
#}
{% macro name_is_identifier(expression) %}
    {{ return(adapter.dispatch('name_is_identifier', 'cluster_marts')(expression)) }}
{% endmacro %}

{% macro default__name_is_identifier(expression) -%}
    regexp_full_match({{ expression }}, '[a-z][a-z0-9_]*')
{%- endmacro %}

{% macro spark__name_is_identifier(expression) -%}
    ({{ expression }} rlike '^[a-z][a-z0-9_]*$')
{%- endmacro %}


{#
    text_before(expression, separator): the text before the first separator
    (a one-character string), or the whole text when it has none.
    DuckDB: split_part(). Spark: substring_index().
    path_head(expression): the first dot-separated part of a segment path
    ('3' of '3.1.0').
    axis_base(expression): the configured axis of a fitted axis name: the part
    before '@' ('engagement' of 'engagement@north', a per-store fit), or the
    name itself. axis_store(expression): the store after '@', or null.
#}
{% macro text_before(expression, separator) %}
    {{ return(adapter.dispatch('text_before', 'cluster_marts')(expression, separator)) }}
{% endmacro %}

{% macro default__text_before(expression, separator) -%}
    split_part({{ expression }}, '{{ separator }}', 1)
{%- endmacro %}

{% macro spark__text_before(expression, separator) -%}
    substring_index({{ expression }}, '{{ separator }}', 1)
{%- endmacro %}

{% macro path_head(expression) -%}
    {{ text_before(expression, '.') }}
{%- endmacro %}

{% macro axis_base(expression) -%}
    {{ text_before(expression, '@') }}
{%- endmacro %}

{% macro axis_store(expression) -%}
    case when instr({{ expression }}, '@') > 0 then substring({{ expression }}, instr({{ expression }}, '@') + 1) end
{%- endmacro %}
