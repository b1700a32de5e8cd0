{#
    The memory bound of a build, for a project that installs this one as a
    package (its own profile sets nothing): with var cluster_marts_memory_limit
    (a size such as '4GB' or a share of RAM such as '25%') and optionally
    cluster_marts_temp_directory, an on-run-start hook sets DuckDB's
    memory_limit and temp_directory, so what does not fit spills to disk. Both
    are settings of the whole database, so they hold for every model of the
    run. With a memory limit it also has DuckDB hand freed memory back to the
    machine (allocator settings, as this project's profile does). Without the
    vars (this project's own profile sets both from CLUSTER_MARTS_MEMORY_LIMIT
    and CLUSTER_MARTS_TEMP_DIR) and on other engines it does nothing.
#}
{% macro configure_memory() -%}
    {{ return(adapter.dispatch('configure_memory', 'cluster_marts')()) }}
{%- endmacro %}

{% macro default__configure_memory() -%}
    {{ return('') }}
{%- endmacro %}

{% macro duckdb__configure_memory() -%}
    {%- set limit = var('cluster_marts_memory_limit', none) -%}
    {%- set temp_directory = var('cluster_marts_temp_directory', none) -%}
    {%- set statements = [] -%}
    {%- if limit is not none -%}
        {%- do statements.append("set memory_limit = '" ~ (limit | string | replace("'", "")) ~ "'") -%}
        {%- do statements.append("set allocator_flush_threshold = '64MB'") -%}
        {%- do statements.append("set allocator_background_threads = true") -%}
    {%- endif -%}
    {%- if temp_directory is not none -%}
        {%- do statements.append("set temp_directory = '" ~ (temp_directory | string | replace("'", "''")) ~ "'") -%}
    {%- endif -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}
