{#
    Several shops in one warehouse, one pooled fit: the segments of every axis
    side by side across the stores. One row per axis, top-level segment (of
    the primary method, var customer_primary_method) and store: the store's
    customers in the segment, its share of the store's customers, the
    segment's share of all stores' customers and the difference, and the mean
    of each of the axis's headline numbers (orders, spend, days since the last
    order) in the store's segment beside the pooled one. Whether two stores
    differ is customer_store_tests. Empty when the orders have no store_id.
#}
with

segments as (
    select customer_id, axis, segment_id, segment_group
    from {{ ref('customer_segments') }}
    where method = '{{ var("customer_primary_method") }}'
),

customers as (
    select customer_id, store_id, frequency, monetary, recency_days
    from {{ ref('customer_features') }}
    where store_id is not null
),

stored as (
    select
        segments.axis,
        segments.segment_id,
        segments.segment_group,
        customers.store_id,
        customers.frequency,
        customers.monetary,
        customers.recency_days
    from segments
    inner join customers
        on segments.customer_id = customers.customer_id
),

names as (
    select distinct axis, segment_id, segment_group from stored
),

by_store as (
    select
        axis,
        segment_id,
        store_id,
        count(*) as customers,
        avg(frequency) as mean_orders,
        avg(monetary) as mean_spend,
        avg(recency_days) as mean_recency_days
    from stored
    group by axis, segment_id, store_id
),

store_totals as (
    select axis, store_id, count(*) as store_customers
    from stored
    group by axis, store_id
),

pooled as (
    select
        axis,
        segment_id,
        count(*) as pooled_customers,
        avg(frequency) as pooled_mean_orders,
        avg(monetary) as pooled_mean_spend,
        avg(recency_days) as pooled_mean_recency_days
    from stored
    group by axis, segment_id
),

axis_totals as (
    select axis, count(*) as axis_customers
    from stored
    group by axis
),

grid as (
    -- every segment of the axis in every store, so a store without customers in a segment shows 0
    select pooled.axis, pooled.segment_id, store_totals.store_id, store_totals.store_customers
    from pooled
    inner join store_totals
        on pooled.axis = store_totals.axis
),

comparison as (
    select
        grid.axis,
        grid.segment_id,
        names.segment_group,
        grid.store_id,
        coalesce(by_store.customers, 0) as customers,
        grid.store_customers,
        cast(coalesce(by_store.customers, 0) as double) / grid.store_customers as share,
        cast(pooled.pooled_customers as double) / axis_totals.axis_customers as pooled_share,
        cast(coalesce(by_store.customers, 0) as double) / grid.store_customers
        - cast(pooled.pooled_customers as double) / axis_totals.axis_customers as share_difference,
        by_store.mean_orders,
        pooled.pooled_mean_orders,
        by_store.mean_spend,
        pooled.pooled_mean_spend,
        by_store.mean_recency_days,
        pooled.pooled_mean_recency_days
    from grid
    inner join pooled
        on grid.axis = pooled.axis
        and grid.segment_id = pooled.segment_id
    inner join axis_totals
        on grid.axis = axis_totals.axis
    inner join names
        on grid.axis = names.axis
        and grid.segment_id = names.segment_id
    left join by_store
        on grid.axis = by_store.axis
        and grid.segment_id = by_store.segment_id
        and grid.store_id = by_store.store_id
),

final as (
    {{ cast_to_contract('comparison') }}
)

select * from final
