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
