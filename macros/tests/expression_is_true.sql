{#
    Generic test (model level): every row satisfies a boolean SQL expression.

        data_tests:
          - cluster_marts.expression_is_true:
              arguments: {expression: "provider_share between 0 and 1"}
#}
{% test expression_is_true(model, expression) %}
select * from {{ model }} where not ({{ expression }})
{% endtest %}
