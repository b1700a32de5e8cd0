{#
    The rows of one record type of a long table, with that record type's
    columns: how the SQL models split the one table a Python model returns
    when one fit feeds several tables (cluster_marts.adapters.long_table,
    whose record_rows is the Python twin):

        {{ record_rows(ref('int_customer_segmentation'), 'assignment', ['customer_id', 'axis', ...]) }}

    packed=true reads a record type whose values are one JSON object per row in
    the `record` column (cluster_marts.adapters.long_table.pack_records; Python
    twin packed_rows): each column is that object's key, as text (macro json_text; null when
    absent or null); the mart that reads it casts to the contract's types.
#}
{% macro record_rows(relation, record_type, columns, packed=false) %}
with

long_table as (
    select * from {{ relation }}
),

records as (
    select
        {%- for column in columns %}
        {% if packed -%}
        {{ json_text('record', column) }} as {{ column }}
        {%- else -%}
        {{ column }}
        {%- endif %}{{ "," if not loop.last }}
        {%- endfor %}
    from long_table
    where record_type = '{{ record_type }}'
)

select * from records
{% endmacro %}

{#
    The rows of the typed record type of a long table (the one large table a
    Python model keeps typed beside packed small ones) with every column of
    the long table except `record_type` and `record`: the columns are read from
    the warehouse when the model runs (so the input's own columns pass through;
    `exclude` names other bookkeeping columns to leave out
    whatever they are), `select *` while dbt only parses.

        {{ typed_rows(ref('int_provider_clustering'), 'assignment') }}
#}
{% macro typed_rows(relation, record_type, exclude=[]) %}
{%- set columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- if column.name | lower not in ['record_type', 'record'] + exclude -%}
            {%- do columns.append(adapter.quote(column.name)) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}
select {{ columns | join(', ') if columns else '*' }}
from {{ relation }}
where record_type = '{{ record_type }}'
{% endmacro %}

