{#
    Health of the snapshot history, one row per snapshot type: whether
    snapshots are enabled, oldest and newest snapshot date, number of
    snapshots (customer x axis x date), customers, dates, and the retention
    applied by `make snapshot-retention`.
#}
{%- set retention = var('customer_snapshot_retention_days') -%}
with

snapshots as (
    -- one row per snapshot (customer, axis, date, type)
    select customer_id, axis, snapshot_type, snapshot_date
    from {{ ref('customer_membership_snapshots') }}
),

health as (
    select
        snapshot_type,
        count(*) as total_snapshots,
        count(distinct customer_id) as customers,
        count(distinct snapshot_date) as snapshot_dates,
        case snapshot_type
            {% for snapshot_type, days in retention.items() %}
            when '{{ snapshot_type }}' then {{ days }}
            {% endfor %}
        end as retention_days,
        {{ 'true' if var('customer_snapshots_enabled') else 'false' }} as snapshots_enabled,
        min(snapshot_date) as oldest_snapshot,
        max(snapshot_date) as newest_snapshot
    from snapshots
    group by snapshot_type
),

final as (
    {{ cast_to_contract('health') }}
)

select * from final
