-- depends_on: {{ ref('int_customer_snapshot_features') }}
{#
    Snapshots taken now for a list of customers (var
    customer_snapshot_customers; `make snapshot-customers CUSTOMERS="id1 id2"`),
    as the schedule's are: features from the orders before the as-of moment of
    customer_features (the end of the day of the latest order, or var
    customer_as_of_date), scored in the reference segment space (macros
    snapshot_reference_ctes, snapshot_scoring_ctes), in the history's columns.
    Their type is on_demand and they are kept here, not in
    customer_membership_snapshots: a partial snapshot is not a population, so
    drift, transitions, lapse risk and snapshot_health never read it.

    snapshot_id is 'on_demand-<date>-<8 hex digits of a hash of the sorted
    customer ids>' (macro on_demand_snapshot_id): the same list on the same
    day replaces its snapshot, another list adds one. With several shops an
    id is '<store_id>|<customer id>'. Like the history, --full-refresh keeps
    it unless var customer_snapshots_allow_full_refresh is true. data_version as for the schedule's snapshots, from the
    listed customers' orders. Incremental, replacing by snapshot_id; without
    the var, a build adds nothing. Customers with no order before the as-of
    moment have no row; the warn-level test
    customer_on_demand_snapshot_unknown_customers names them.
#}
{{ config(
    materialized='incremental',
    on_schema_change='append_new_columns',
    full_refresh=(none if var('customer_snapshots_allow_full_refresh') else false),
    **replace_by_keys_config(['snapshot_id'])
) }}
{%- set customers = on_demand_customers() -%}
{%- set feature_columns = numeric_columns(ref('int_customer_snapshot_features')) -%}
with

as_of as (
    select max(as_of_at) as as_of_at from {{ ref('customer_features') }}
),

requested as (
    {{ customer_id_rows(customers) }}
),

scoped_orders as (
    select
        orders.*,
        cast({{ dbt.dateadd('day', -1, 'as_of.as_of_at') }} as date) as snapshot_date,
        'on_demand' as snapshot_type,
        as_of.as_of_at
    from {{ ref('stg_customer_orders') }} as orders
    inner join requested
        on orders.customer_id = requested.customer_id
    cross join as_of
    where orders.ordered_at < as_of.as_of_at
),

features as (
    {{ customer_features_from('scoped_orders', ['snapshot_date', 'snapshot_type']) }}
),

inputs as (
    select {{ snapshot_order_totals('scoped_orders') }}
    from scoped_orders
),

{{ snapshot_reference_ctes(feature_columns) }},

snapshot_versions as (
    select
        {{ on_demand_snapshot_id('as_of.as_of_at', customers) }} as snapshot_id,
        {{ snapshot_data_version(snapshot_input_fingerprint('inputs'),
                                 'reference_runs.run_ids') }} as data_version
    from as_of
    cross join inputs
    cross join reference_runs
),

snapshots as (
    select
        {{ snapshot_scoring_columns('features', 'snapshot_versions', feature_columns) }}
    from features
    cross join snapshot_versions
),

{{ snapshot_scoring_ctes('snapshots') }},

history_rows as (
    {{ snapshot_history_rows('scored') }}
),

final as (
    {{ cast_to_contract('history_rows') }}
)

select * from final
