{#
    Generic test: nothing lost. The row count of the tested model equals the sum
    of the row counts of `parts` (the models its rows were split into: the clean
    model plus its quarantine). Fails with one row showing the counts. Not
    checked (a note in the log) when one of them is not built: skip_unless_built.

        data_tests:
          - cluster_marts.rows_conserved:
              arguments:
                parts: ["ref('stg_ai_models')", "ref('stg_ai_models_quarantine')"]
#}
{% test rows_conserved(model, parts) %}
{% if cluster_marts.skip_unless_built([model] + parts, 'rows_conserved') %}
{{ cluster_marts.no_failing_rows() }}
{% else %}
with
totals as (
    select
        (select count(*) from {{ model }}) as input_rows,
        (
            0
            {% for part in parts %}
            + (select count(*) from {{ part }})
            {% endfor %}
        ) as output_rows
)
select * from totals where input_rows <> output_rows
{% endif %}
{% endtest %}
