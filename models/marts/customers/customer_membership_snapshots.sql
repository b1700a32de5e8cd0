{#
    Snapshot history of fuzzy memberships, kept across runs. One row per
    customer, axis, snapshot date and type (the key of a snapshot), with the
    memberships as a list indexed by reference segment (memberships[segment_id
    + 1]; macro membership_of), the dominant segment and its membership, and
    the context (orders and value at the snapshot, days since first order,
    tenure, the usual gap between orders: drift reads it). The list's
    positions are the reference's canonical order; segment_ids holds the
    (kept) segment id of each position. One row per segment instead would multiply the rows by k; the
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
    migrate_long_membership_snapshots), one taken before usual_gap_days was
    stored gets it from its own columns (macro add_usual_gap_days), and one
    taken before segment_ids was stored gets 0..k-1, the ids its positions
    were (macro add_segment_ids), and one taken before snapshot ids were
    stored gets them, with data_version 'unrecorded' (macro
    add_snapshot_versions): nothing is lost.

    snapshot_id names the snapshot (type and date, '<type>-<date>');
    data_version fingerprints what it was computed from (the totals of the
    orders before it and the reference model's runs;
    int_customer_snapshot_memberships), so a
    rerun of a date on changed orders or a refitted reference shows a new
    version. customer_snapshot_catalog lists the snapshots, one row each.
#}
{{ config(
    materialized='incremental',
    on_schema_change='append_new_columns',
    full_refresh=(none if var('customer_snapshots_allow_full_refresh') else false),
    pre_hook=["{{ migrate_long_membership_snapshots(this) }}", "{{ add_usual_gap_days(this) }}",
              "{{ add_segment_ids(this) }}", "{{ add_snapshot_versions(this) }}"],
    **replace_by_keys_config(['snapshot_type', 'snapshot_date'])
) }}
with

scored as (
    select * from {{ ref('int_customer_snapshot_memberships') }}
),

snapshots as (
    {{ snapshot_history_rows('scored') }}
),

final as (
    {{ cast_to_contract('snapshots') }}
)

select * from final
{% if not var('customer_snapshots_enabled') %}where false{% endif %}
