{#
    Generic test: every non-null value of the column lies in [min_value, max_value].
    Either bound may be omitted. Fails with the offending rows.

        data_tests:
          - cluster_marts.value_between:
              arguments: {min_value: -1, max_value: 1}
#}
{% test value_between(model, column_name, min_value=none, max_value=none) %}
select {{ column_name }} as offending_value
from {{ model }}
where {{ column_name }} is not null
  and (
        false
        {% if min_value is not none %} or {{ column_name }} < {{ min_value }} {% endif %}
        {% if max_value is not none %} or {{ column_name }} > {{ max_value }} {% endif %}
  )
{% endtest %}
