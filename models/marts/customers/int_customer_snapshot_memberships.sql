-- depends_on: {{ ref('int_customer_snapshot_features') }}
{#
    Scores every snapshot of this run with the reference model, in SQL, one
    row per customer, axis, snapshot date and type (no row per feature or
    segment): the snapshot's numeric features are packed into one list, the
    reference model into one row per axis (the axis's feature positions in
    that list, the reference scaler, the centres as a list of lists), the
    squared distances to the centres come from list arithmetic (macros
    scaled_axis_values, axis_squared_distances) and the FCM memberships
    u_j = d2_j^(-1/(m-1)) / sum_l d2_l^(-1/(m-1)) from macro fcm_memberships,
    as a list in the reference segments' positions, beside the list of their
    segment ids (segment_ids: ids are kept across builds, positions are the
    fit's canonical order); a snapshot sitting exactly on a centre is one-hot
    on the first such centre. The
    Python twin is cluster_marts.profiling.reference.score_memberships
    (tested against it). Carries the snapshot's context columns so the
    history mart needs no join, among them its snapshot_id and data_version:
    the first 16 hex digits of a hash of the snapshot's input fingerprint (the
    totals of the orders it sees, int_customer_snapshot_dates) and the reference model's run
    ids, so two snapshots of the same date hold the same data_version exactly
    when they were computed from the same orders in the same segment space.
    A view: the history mart materialises it.
#}
{{ config(materialized='view') }}
{%- set feature_columns = numeric_columns(ref('int_customer_snapshot_features')) -%}
with

{{ snapshot_reference_ctes(feature_columns) }},

snapshot_versions as (
    select
        snapshot_dates.snapshot_type,
        snapshot_dates.snapshot_date,
        snapshot_dates.snapshot_id,
        {{ snapshot_data_version('snapshot_dates.input_fingerprint', 'reference_runs.run_ids') }} as data_version
    from {{ ref('int_customer_snapshot_dates') }} as snapshot_dates
    cross join reference_runs
    where snapshot_dates.is_in_run
),

snapshots as (
    select
        {{ snapshot_scoring_columns('features', 'snapshot_versions', feature_columns) }}
    from {{ ref('int_customer_snapshot_features') }} as features
    inner join snapshot_versions
        on features.snapshot_type = snapshot_versions.snapshot_type
        and features.snapshot_date = snapshot_versions.snapshot_date
),

{{ snapshot_scoring_ctes('snapshots') }}

select * from scored
