-- The host's own staging model of its orders, beside the package's (stg_customer_orders, in the
-- schema main_cluster_marts_staging): a host model named like a package model would shadow it.
select
    order_id,
    customer_id,
    cast(order_date as date) as order_date,
    revenue
from read_csv('{{ var("customer_orders_path") }}', header = true)
