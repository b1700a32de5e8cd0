{#
    The snapshots held in the history, one row per snapshot (its snapshot_id:
    type and date), with its data_version, its customers, axes and rows, and
    when it was taken: what a BI user or a retention review reads before the
    history itself. is_primary_type marks the build's primary type (the first
    of var customer_snapshot_type), the one readers show by default.
    snapshot_id is unique here (tested), so a snapshot has one type, one date
    and one data_version.
#}
with

snapshots as (
    -- rows of a history taken before ids were stored, on an engine whose migration adds null columns
    -- (Spark), are named as the migration names them
    select
        axis,
        snapshot_type,
        snapshot_date,
        snapshot_at,
        taken_at,
        coalesce(snapshot_id, {{ snapshot_id('snapshot_type', 'snapshot_date') }}) as snapshot_id,
        coalesce(data_version, 'unrecorded') as data_version
    from {{ ref('customer_membership_snapshots') }}
),

catalog as (
    select
        ----- ids
        snapshot_id,
        ----- strings
        snapshot_type,
        data_version,
        ----- booleans
        snapshot_type = '{{ primary_snapshot_type() }}' as is_primary_type,
        ----- numerics
        -- every customer of a snapshot is scored on every axis of the reference (a cross join), so the
        -- customers are the rows over the axes: no distinct count over tens of millions of ids
        count(*) / count(distinct axis) as customers,
        count(distinct axis) as axes,
        count(*) as snapshot_rows,
        ----- dates
        snapshot_date,
        ----- timestamps
        max(snapshot_at) as snapshot_at,
        max(taken_at) as taken_at
    from snapshots
    group by snapshot_id, snapshot_type, data_version, snapshot_date
),

final as (
    {{ cast_to_contract('catalog') }}
)

select * from final
