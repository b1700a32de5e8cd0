-- depends_on: {{ ref('customer_on_demand_snapshots') }}
{#
    Warns (does not fail) when a customer of var customer_snapshot_customers
    has no row in the on-demand snapshot of that list as of now (its
    snapshot_id, macro on_demand_snapshot_id): the id is not among
    the valid orders placed before the as-of moment (a typo, another key
    format, or a customer whose orders are all quarantined). One row per such
    id. Not checked when a model it reads is not built (skip_unless_built).
#}
{{ config(severity='warn') }}
{%- set customers = on_demand_customers() -%}
{%- set parents = [ref('customer_on_demand_snapshots'), ref('customer_features')] -%}
{% if cluster_marts.skip_unless_built(parents, 'customer_on_demand_snapshot_unknown_customers') %}
{{ cluster_marts.no_failing_rows() }}
{% else %}
with

requested as (
    {{ customer_id_rows(customers) }}
),

this_run as (
    select {{ on_demand_snapshot_id('max(as_of_at)', customers) }} as snapshot_id
    from {{ ref('customer_features') }}
),

latest as (
    select snapshots.customer_id
    from {{ ref('customer_on_demand_snapshots') }} as snapshots
    inner join this_run
        on snapshots.snapshot_id = this_run.snapshot_id
)

select requested.customer_id
from requested
where requested.customer_id not in (select latest.customer_id from latest)
{% endif %}
