{#
    dbt run-operation apply_snapshot_retention [--args '{dry_run: true}']
    (or `make snapshot-retention`): deletes membership snapshots older than the
    retention of their type (var customer_snapshot_retention_days: daily 7,
    weekly 60, monthly 365, quarterly 730, yearly 1825 days), counted back
    from the newest snapshot date of that type, and the on-demand snapshots
    (customer_on_demand_snapshots) older than on_demand days (30). Logs what it deletes; with
    dry_run it only logs.
#}
{% macro apply_snapshot_retention(dry_run=false) %}
    {%- set retention = var('customer_snapshot_retention_days') -%}
    {%- for snapshot_type, days in retention.items() -%}
        {%- set named = ref('customer_on_demand_snapshots') if snapshot_type == 'on_demand'
                        else ref('customer_membership_snapshots') -%}
        {%- set relation = adapter.get_relation(named.database, named.schema, named.identifier) -%}
        {%- if relation is none -%}
            {{ log('retention ' ~ snapshot_type ~ ': ' ~ named.identifier ~ ' is not built yet; nothing to delete',
                   info=true) }}
        {%- else -%}
        {%- set condition -%}
            snapshot_type = '{{ snapshot_type }}'
            and snapshot_date < (
                select {{ dbt.dateadd('day', -(days | int), 'max(snapshot_date)') }}
                from {{ relation }} where snapshot_type = '{{ snapshot_type }}'
            )
        {%- endset -%}
        {%- set counted = run_query('select count(*) from ' ~ relation ~ ' where ' ~ condition) -%}
        {%- set n = counted.columns[0].values()[0] -%}
        {{ log('retention ' ~ snapshot_type ~ ' (' ~ days ~ ' days): ' ~ n ~ ' snapshot rows '
               ~ ('would be deleted' if dry_run else 'deleted'), info=true) }}
        {%- if not dry_run and n > 0 -%}
            {%- do run_query('delete from ' ~ relation ~ ' where ' ~ condition) -%}
            {#- a relation look-up that missed dbt's cache opened a transaction: the delete is kept only when it
                is committed (without an open transaction this does nothing) -#}
            {%- do adapter.commit() -%}
        {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
