{#
    Upgrades a membership-snapshot history written in the long layout (one row
    per customer, axis, snapshot and segment: columns segment_id, membership,
    is_dominant) to the list layout of customer_membership_snapshots (one row
    per customer, axis and snapshot, memberships as a list indexed by segment
    id), in place and before the model runs (pre_hook), so a history taken
    before the change is kept, not truncated, and the incremental insert does
    not fail on the old columns. Nothing happens when the table is absent or
    already in the list layout. Every old snapshot row keeps its values; the
    list holds the memberships in segment order.
#}
{% macro migrate_long_membership_snapshots(relation) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set existing = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
    {%- if existing is none -%}{{ return('') }}{%- endif -%}
    {%- set names = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
    {%- if 'segment_id' not in names or 'memberships' in names -%}{{ return('') }}{%- endif -%}
    {%- set upgraded = relation.identifier ~ '__list_layout' -%}
    {%- set context = ['customer_id', 'axis', 'dominant_segment_id', 'reference_run_id', 'snapshot_type'] -%}
    {%- set after = ['max_membership', 'orders_at_snapshot', 'value_at_snapshot', 'days_since_first_order',
                     'tenure_months', 'snapshot_date', 'last_ordered_at', 'snapshot_at', 'taken_at'] -%}
    {{ log("customer_membership_snapshots: upgrading the long history of " ~ existing ~ " to one row per "
           ~ "customer, axis and snapshot (memberships as a list)", info=true) }}
    create or replace table {{ existing.database }}.{{ existing.schema }}.{{ upgraded }} as
    select
        {{ context | join(', ') }},
        list(membership order by segment_id) as memberships,
        {{ after | join(', ') }}
    from {{ existing }}
    group by {{ (context + after) | join(', ') }};
    drop table {{ existing }};
    alter table {{ existing.database }}.{{ existing.schema }}.{{ upgraded }} rename to {{ relation.identifier }};
{% endmacro %}


{#
    Adds usual_gap_days to a membership-snapshot history taken before the
    column was stored (pre_hook of customer_membership_snapshots, after the
    layout upgrade above), filled from the row's own columns, so the drift of a
    step from an older snapshot keeps its event surprise. The value is the one
    customer_features_from computes (the mean gap in whole hours: days from the
    first order to the snapshot, less the whole hours from the last order to
    the snapshot, over orders - 1; the days since the first order with one
    order; at least 1 day), here from the columns an older row kept. Nothing
    happens when the table is absent or has the column. DuckDB (an in-place
    update); on Spark the column is added by the model (null on older rows).
#}
{% macro add_usual_gap_days(relation) %}
    {%- set existing = list_history_lacking(relation, 'usual_gap_days') -%}
    {%- if existing is none -%}{{ return('') }}{%- endif -%}
    {{ log("customer_membership_snapshots: adding usual_gap_days to the history of " ~ existing, info=true) }}
    alter table {{ existing }} add column usual_gap_days double;
    update {{ existing }} set usual_gap_days = greatest(
        case
            when orders_at_snapshot >= 2
                then (days_since_first_order - cast({{ hours_between('last_ordered_at', 'snapshot_at') }} as double) / 24)
                    / (orders_at_snapshot - 1)
            else days_since_first_order
        end,
        1.0);
{% endmacro %}


{#
    Adds segment_ids to a membership-snapshot history taken before the list
    of segment ids was stored (pre_hook of customer_membership_snapshots,
    after the upgrades above): its memberships were indexed by segment id, so
    each row gets 0..k-1. Nothing happens when the table is absent or has the
    column. DuckDB (an in-place update); on Spark the column is added by the
    model (null on older rows).
#}
{% macro add_segment_ids(relation) %}
    {%- set existing = list_history_lacking(relation, 'segment_ids') -%}
    {%- if existing is none -%}{{ return('') }}{%- endif -%}
    {{ log("customer_membership_snapshots: adding segment_ids (0..k-1) to the history of " ~ existing, info=true) }}
    alter table {{ existing }} add column segment_ids integer[];
    update {{ existing }} set segment_ids = list_transform(range(0, len(memberships)), lambda i: cast(i as integer));
{% endmacro %}


{#
    Adds snapshot_id and data_version to a membership-snapshot history taken
    before they were stored (pre_hook of customer_membership_snapshots, after
    the upgrades above): snapshot_id is '<type>-<date>', as
    int_customer_snapshot_dates names it; data_version is 'unrecorded' (the
    inputs of an older snapshot are not known). Nothing happens when the table
    is absent or has the columns. DuckDB (an in-place update); on Spark the
    columns are added by the model (null on older rows).
#}
{% macro add_snapshot_versions(relation) %}
    {%- set existing = list_history_lacking(relation, 'snapshot_id') -%}
    {%- if existing is none -%}{{ return('') }}{%- endif -%}
    {{ log("customer_membership_snapshots: adding snapshot_id and data_version ('unrecorded') to the history of "
           ~ existing, info=true) }}
    alter table {{ existing }} add column snapshot_id varchar;
    alter table {{ existing }} add column data_version varchar;
    update {{ existing }} set
        snapshot_id = {{ snapshot_id('snapshot_type', 'snapshot_date') }},
        data_version = 'unrecorded';
{% endmacro %}


{#
    list_history_lacking(relation, column): the existing membership-snapshot
    history in the list layout (it has memberships) when it lacks the column,
    the table the upgrades above alter in place; none when the table is
    absent, already has the column, is in the long layout, or while dbt only
    parses. DuckDB only (on Spark the model adds the column, null on older
    rows).
#}
{% macro list_history_lacking(relation, column) %}
    {%- if not execute or target.type == 'spark' -%}{{ return(none) }}{%- endif -%}
    {%- set existing = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
    {%- if existing is none -%}{{ return(none) }}{%- endif -%}
    {%- set names = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
    {{ return(existing if column not in names and 'memberships' in names else none) }}
{% endmacro %}
