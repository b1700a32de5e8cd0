{#
    clean_text(expression): trimmed, inner runs of whitespace collapsed to one
    space, empty -> null. Case is kept (display names).

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

{% macro normalize_key(expression) %}
    lower({{ clean_text(expression) }})
{% endmacro %}
