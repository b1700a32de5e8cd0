{#
    The rows of one record type of a long table, with that record type's
    columns: how the SQL models split the one table a Python model returns
    when one fit feeds several tables (cluster_marts.adapters.long_table,
    whose record_rows is the Python twin):

        {{ record_rows(ref('int_customer_segmentation'), 'membership', ['customer_id', 'axis', ...]) }}
#}
{% macro record_rows(relation, record_type, columns) %}
with

long_table as (
    select * from {{ relation }}
),

records as (
    select
        {%- for column in columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from long_table
    where record_type = '{{ record_type }}'
)

select * from records
{% endmacro %}
