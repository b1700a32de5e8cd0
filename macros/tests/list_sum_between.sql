{#
    Generic test: the sum of a list column (e.g. a row's memberships) lies in
    [min_value, max_value] on every row. Fails with each offending row and
    its sum (a null list or sum fails too). The sum is macro list_sum
    (macros/portable/arrays.sql: DuckDB list_sum, Spark aggregate).
#}
{% test list_sum_between(model, column_name, min_value, max_value) %}
select *, {{ cluster_marts.list_sum(column_name) }} as list_total
from {{ model }}
where not coalesce({{ cluster_marts.list_sum(column_name) }} between {{ min_value }} and {{ max_value }}, false)
{% endtest %}
