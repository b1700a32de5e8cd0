{#
    Generic test: exactly one row of the model has the boolean column true
    (e.g. the chosen k in a k-selection table).
#}
{% test exactly_one_true(model, column_name) %}
select count(*) as n_true
from {{ model }}
where {{ column_name }}
having count(*) <> 1
{% endtest %}
