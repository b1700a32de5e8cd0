{#
    Snapshot history of fuzzy memberships, kept across runs. One row per
    customer, axis, snapshot date and type (the key of a snapshot), with the
    memberships as a list indexed by reference segment (memberships[segment_id
    + 1]; macro membership_of), the dominant segment and its membership, and
    the context (orders and value at the snapshot, days since first order,
    tenure). One row per segment instead would multiply the rows by k; the
    long form is the view customer_membership_snapshots_long, the JSON form
    customer_snapshots.

    Incremental, replacing (snapshot_type, snapshot_date) (macro
    replace_by_keys_config: delete+insert on DuckDB, insert_overwrite of those
    partitions on Spark): rerunning a date replaces that date (idempotent); dates not in this run's
    int_customer_snapshot_dates are left alone, so older snapshots survive.
    --full-refresh does NOT rebuild it unless
    var customer_snapshots_allow_full_refresh is true. Old dates are removed only
    by `make snapshot-retention`. A history in the older long layout (one row
    per segment) is upgraded in place before the run (macro
    migrate_long_membership_snapshots): nothing is lost.
#}
{{ config(
    materialized='incremental',
    on_schema_change='append_new_columns',
    full_refresh=(none if var('customer_snapshots_allow_full_refresh') else false),
    pre_hook="{{ migrate_long_membership_snapshots(this) }}",
    **replace_by_keys_config(['snapshot_type', 'snapshot_date'])
) }}
with

scored as (
    select * from {{ ref('int_customer_snapshot_memberships') }}
),

snapshots as (
    select
        ----- ids
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(axis as {{ dbt.type_string() }}) as axis,
        cast(dominant_segment_id as integer) as dominant_segment_id,
        cast(reference_run_id as {{ dbt.type_string() }}) as reference_run_id,
        ----- strings
        cast(snapshot_type as {{ dbt.type_string() }}) as snapshot_type,
        ----- numerics
        cast(memberships as {{ double_list_type() }}) as memberships,
        cast(max_membership as double) as max_membership,
        cast(frequency as integer) as orders_at_snapshot,
        cast(monetary as double) as value_at_snapshot,
        cast(tenure_days as double) as days_since_first_order,
        cast(tenure_days / 30.44 as double) as tenure_months,
        ----- dates
        cast(snapshot_date as date) as snapshot_date,
        ----- timestamps
        cast(last_ordered_at as timestamp) as last_ordered_at,
        cast(as_of_at as timestamp) as snapshot_at,
        cast(current_timestamp as timestamp) as taken_at
    from scored
)

select * from snapshots
{% if not var('customer_snapshots_enabled') %}where false{% endif %}
