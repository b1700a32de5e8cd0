{#
    Every workbench spec's tables, stacked: one model per spec, int_workbench_fit_<spec>
    (python_models/workbench/fits/, its parent the spec's source), for every spec of var
    workbench_specs. Every spec's long table has the same columns in the same order
    (cluster_marts.adapters.workbench.warehouse.spec_long_table). The demo spec customers clusters
    customer_features: with the customers domain off (var cluster_marts_domains) its model is off
    (dbt_project.yml) and it is not stacked.
#}
{{ config(materialized='table') }}
{%- set specs = [] -%}
{%- for spec in var('workbench_specs') if spec != 'customers' or cluster_marts_domain_on('customers') -%}
    {%- do specs.append(spec) -%}
{%- endfor -%}
{%- if not specs -%}
    {{ exceptions.raise_compiler_error(
        "int_workbench_analysis: no spec of var workbench_specs (" ~ var('workbench_specs') | join(', ')
        ~ ") can be built with the domains of var cluster_marts_domains (" ~ cluster_marts_domains() | join(', ')
        ~ "): list a spec, or leave the workbench out of cluster_marts_domains.") }}
{%- endif %}

{% for spec in specs %}
select * from {{ ref('int_workbench_fit_' ~ spec) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
