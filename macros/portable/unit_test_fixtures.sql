{#
    spark__safe_cast(field, type): dbt-spark's safe_cast (dbt/include/spark/macros/utils/safe_cast.sql),
    plus YAML lists: a unit-test fixture row such as {memberships: [0.8, 0.2]} reaches safe_cast as a list,
    which DuckDB reads as the list literal [0.8, 0.2] but Spark cannot parse; here it becomes
    cast(array(0.8, 0.2) as array<double>) (a null element as null). Everything else is dbt-spark's own
    macro. DuckDB (and every other adapter) keeps its own safe_cast: this only overrides the spark__ one.
#}
{% macro spark__safe_cast(field, type) %}
{%- if field is iterable and field is not string and field is not mapping -%}
    {%- set elements = [] -%}
    {%- for element in field -%}
        {%- do elements.append('null' if element is none
                               else (dbt.string_literal(dbt.escape_single_quotes(element)) if element is string
                                     else element)) -%}
    {%- endfor -%}
cast(array({{ elements | join(', ') }}) as {{ type }})
{%- else -%}
{%- set field_clean = field.strip('"').strip("'") if (cast_from_string_unsupported_for(type) and field is string)
                      else field -%}
cast({{ field_clean }} as {{ type }})
{%- endif %}
{% endmacro %}
