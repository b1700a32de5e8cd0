{#
    Names of the numeric columns of a relation, in table order (empty at parse
    time). A macro of its own so a dbt unit test can set the list with
    `overrides: {macros: {numeric_columns: [...]}}`: dbt unit tests do not run
    introspective queries (get_columns_in_relation sees no columns there).
#}
{% macro numeric_columns(relation, exclude=[]) %}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if is_number_column(column) and column.name not in exclude -%}
                {%- do names.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}
