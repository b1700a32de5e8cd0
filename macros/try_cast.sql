{#
    try_cast(expression, data_type): cast that yields null instead of failing.
    dbt's own safe_cast is a plain cast on DuckDB, so text such as "n/a" would
    abort the build; staging needs the null so it can quarantine the row.
#}
{% macro try_cast(expression, data_type) %}
    {{ return(adapter.dispatch('try_cast', 'cluster_marts')(expression, data_type)) }}
{% endmacro %}

{% macro default__try_cast(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
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
