{#
    Generic test (model level): every row satisfies a boolean SQL expression.
    A row where the expression is NULL fails too (NULL is not "true"), unless
    the test sets allow_null: true; say in the YAML why NULL is allowed there.

        data_tests:
          - cluster_marts.expression_is_true:
              arguments: {expression: "provider_share between 0 and 1"}
          - cluster_marts.expression_is_true:
              arguments: {expression: "kruskal_p_value between 0 and 1", allow_null: true}

    Returns the failing rows. coalesce(..., false) rather than "is not true"
    keeps the SQL portable (DuckDB, Spark).
#}
{% test expression_is_true(model, expression, allow_null=false) %}
select * from {{ model }}
{% if allow_null %}
where not coalesce(({{ expression }}), true)
{% else %}
where not coalesce(({{ expression }}), false)
{% endif %}
{% endtest %}
