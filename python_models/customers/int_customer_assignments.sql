{#
    Customer assignments, one row per customer, axis and method: the `assignment` rows of
    int_customer_segmentation (every axis and method fitted once, one long table).
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_customer_segmentation'), 'assignment', [
    'customer_id', 'axis', 'method', 'segment_id', 'max_membership', 'second_segment_id',
    'second_membership', 'segment_path', 'depth', 'distance_to_centroid', 'normalized_distance', 'margin',
    'run_id'
]) }}
