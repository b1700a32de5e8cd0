{#
    Generic test: within every group of `group_by` columns, the sum of the
    column lies in [min_value, max_value] (e.g. memberships sum to 1).
    Fails with each offending group and its sum.
#}
{% test group_sum_between(model, column_name, group_by, min_value, max_value) %}
select {{ group_by | join(', ') }}, sum({{ column_name }}) as group_sum
from {{ model }}
group by {{ group_by | join(', ') }}
having sum({{ column_name }}) < {{ min_value }} or sum({{ column_name }}) > {{ max_value }}
{% endtest %}
