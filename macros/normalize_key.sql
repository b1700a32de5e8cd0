{#
    clean_text(expression): trimmed, inner runs of whitespace collapsed to one
    space, empty -> null. Case is kept (display names). Whitespace is RE2's
    \s on DuckDB (space, tab, newline, carriage return, form feed); Spark
    (Java regexes, where \s also takes the vertical tab) is given that class
    spelled out, and replaces every match without a flag.

    normalize_key(expression): the matching key for free-text names, i.e.
    lower(clean_text(...)), so "  OpenAI ", "openai" and "OPENAI" are one key.
    Used for creator -> provider and for the region-mapping seed alike.
#}
{% macro clean_text(expression) %}
    {{ return(adapter.dispatch('clean_text', 'cluster_marts')(expression)) }}
{% endmacro %}

{% macro default__clean_text(expression) %}
    nullif(trim(regexp_replace(cast({{ expression }} as varchar), '\s+', ' ', 'g')), '')
{% endmacro %}

{% macro spark__clean_text(expression) %}
    nullif(trim(regexp_replace(cast({{ expression }} as string), '[ \\t\\n\\r\\f]+', ' ')), '')
{% endmacro %}

{% macro normalize_key(expression) %}
    lower({{ clean_text(expression) }})
{% endmacro %}

{#
    store_key(store, id): the key of an id within its store when one warehouse
    holds several shops' rows: '<store>|<id>', or the id itself when the store
    is null (one shop: nothing changes) or the id is null (still missing).
#}
{% macro store_key(store, id) %}
    case when {{ store }} is null or {{ id }} is null then {{ id }} else {{ dbt.concat([store, "'|'", id]) }} end
{% endmacro %}
