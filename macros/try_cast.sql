{#
    try_cast(expression, data_type): cast that yields null instead of failing.
    dbt's own safe_cast is a plain cast on DuckDB, so text such as "n/a" would
    abort the build; staging needs the null so it can quarantine the row.
    DuckDB: try_cast. Spark: try_cast as well, except to a 32-bit or smaller
    integer: DuckDB rounds a fraction ('2.0' and 2.5 give 2 and 3), where Spark
    gives null for the text and truncates the number, so Spark goes through
    double and rounds (half away from zero, as DuckDB). Spark also reads the
    special words 'now', 'today', 'yesterday', ... as dates and timestamps when
    the text is a constant of the query (never for a column's values).
#}
{% macro try_cast(expression, data_type) %}
    {{ return(adapter.dispatch('try_cast', 'cluster_marts')(expression, data_type)) }}
{% endmacro %}

{% macro default__try_cast(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}

{% macro spark__try_cast(expression, data_type) %}
    {%- if data_type | lower in ['integer', 'int', 'smallint', 'tinyint'] -%}
        try_cast(round(try_cast({{ expression }} as double)) as {{ data_type }})
    {%- else -%}
        try_cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{% endmacro %}

{% macro postgres__try_cast(expression, data_type) %}
    {# no try_cast in Postgres: accept plain decimal text only #}
    case
        when trim(cast({{ expression }} as text)) ~ '^[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$'
            then cast(trim(cast({{ expression }} as text)) as {{ data_type }})
    end
{% endmacro %}

{#
    nan_to_null(expression): NaN becomes null (statistics such as corr() of a
    constant series return NaN, which BI tools and averages mishandle).
    DuckDB and Postgres treat NaN as equal to itself, so nullif works.
#}
{% macro nan_to_null(expression) %}
    nullif({{ expression }}, cast('NaN' as double))
{% endmacro %}
