-- depends_on: {{ ref('customer_on_demand_snapshots') }}
{#
    Warns (does not fail) when a customer of var customer_snapshot_customers
    has no row in the on-demand snapshot this run took: the id is not among
    the valid orders placed before the as-of moment (a typo, another key
    format, or a customer whose orders are all quarantined). One row per such
    id.
#}
{{ config(severity='warn') }}
{%- set customers = on_demand_customers() -%}

with

requested as (
    {{ customer_id_rows(customers) }}
),

this_run as (
    select max(taken_at) as taken_at from {{ ref('customer_on_demand_snapshots') }}
),

latest as (
    select snapshots.customer_id
    from {{ ref('customer_on_demand_snapshots') }} as snapshots
    inner join this_run
        on snapshots.taken_at = this_run.taken_at
)

select requested.customer_id
from requested
where requested.customer_id not in (select latest.customer_id from latest)
