-- A customer's snapshot history between two dates (what the drift API's
-- /customer/{id}/history answered). Compile with the customer and dates:
--   dbt compile -s customer_snapshot_history \
--     --vars '{history_customer_id: C-000123, history_start: 2026-01-01, history_end: 2026-10-31}'
{{ config(enabled=cluster_marts_domain_on('customers')) }}
select
    customer_id,
    axis,
    snapshot_type,
    snapshot_date,
    dominant_segment_id,
    max_membership,
    memberships_json,
    orders_at_snapshot,
    value_at_snapshot
from {{ ref('customer_snapshots') }}
where customer_id = '{{ var("history_customer_id", "C-000001") }}'
    and snapshot_date between cast('{{ var("history_start", "2000-01-01") }}' as date)
                          and cast('{{ var("history_end", "2100-01-01") }}' as date)
order by axis, snapshot_date
