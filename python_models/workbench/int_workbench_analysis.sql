{#
    Every workbench spec's tables, stacked: one model per spec, int_workbench_fit_<spec>
    (python_models/workbench/fits/, its parent the spec's source), for every spec of var
    workbench_specs. Every spec's long table has the same columns in the same order
    (cluster_marts.adapters.workbench.warehouse.spec_long_table).
#}
{{ config(materialized='table') }}

{% for spec in var('workbench_specs') %}
select * from {{ ref('int_workbench_fit_' ~ spec) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
