{#
    Generic test (model level): the combination of `columns` is unique.
    Fails with each duplicated combination and its count.
#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
