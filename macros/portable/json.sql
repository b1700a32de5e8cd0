{#
    json_text(expression, key): the value of a top-level key of a JSON object
    held as text, as text (a string unquoted, a number or boolean as written);
    null when the key is absent or its value is null.
    DuckDB: json_extract_string(). Spark: get_json_object().
#}
{% macro json_text(expression, key) %}
    {{ return(adapter.dispatch('json_text', 'cluster_marts')(expression, key)) }}
{% endmacro %}

{% macro default__json_text(expression, key) -%}
    json_extract_string({{ expression }}, '$.{{ key }}')
{%- endmacro %}

{% macro spark__json_text(expression, key) -%}
    get_json_object({{ expression }}, '$.{{ key }}')
{%- endmacro %}
