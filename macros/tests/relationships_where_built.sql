{#
    Generic test: dbt's relationships test (every non-null value of the column
    is a `field` of `to`), not checked (a note in the log) when `to` or the
    tested model is not built: skip_unless_built.
#}
{% test relationships_where_built(model, column_name, to, field) %}
{% if cluster_marts.skip_unless_built([model, to], 'relationships_where_built') %}
{{ cluster_marts.no_failing_rows() }}
{% else %}
{{ adapter.dispatch('test_relationships', 'dbt')(model, column_name, to, field) }}
{% endif %}
{% endtest %}
