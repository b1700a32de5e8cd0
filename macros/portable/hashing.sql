{#
    row_hash(expressions): a fast 64-bit hash of several values (a list of SQL
    expressions), to compare rows within one query (not stable across
    engines or versions: never store it or order published output by it alone).
    DuckDB: hash(...) (ubigint). Spark: xxhash64(...) (bigint; Spark's hash()
    is only 32 bits).
#}
{% macro row_hash(expressions) %}
    {{ return(adapter.dispatch('row_hash', 'cluster_marts')(expressions)) }}
{% endmacro %}

{% macro default__row_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(expressions) -%}
    xxhash64({{ expressions | join(', ') }})
{%- endmacro %}
