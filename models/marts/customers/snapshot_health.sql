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
        ----- strings
        cast(snapshot_type as {{ dbt.type_string() }}) as snapshot_type,
        ----- numerics
        cast(count(*) as integer) as total_snapshots,
        cast(count(distinct customer_id) as integer) as customers,
        cast(count(distinct snapshot_date) as integer) as snapshot_dates,
        cast(
            case snapshot_type
                {% for snapshot_type, days in retention.items() %}
                when '{{ snapshot_type }}' then {{ days }}
                {% endfor %}
            end as integer
        ) as retention_days,
        ----- booleans
        cast({{ 'true' if var('customer_snapshots_enabled') else 'false' }} as boolean) as snapshots_enabled,
        ----- dates
        cast(min(snapshot_date) as date) as oldest_snapshot,
        cast(max(snapshot_date) as date) as newest_snapshot
    from snapshots
    group by snapshot_type
)

select * from health
