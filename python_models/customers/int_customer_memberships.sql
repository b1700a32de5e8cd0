{#
    Customer soft memberships, one row per customer, axis, method and top-level segment: the `membership` rows of
    int_customer_segmentation (every axis and method fitted once, one long table).
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_customer_segmentation'), 'membership', [
    'customer_id', 'axis', 'method', 'segment_id', 'membership', 'run_id'
]) }}
