{#
    The name of every segment and sub-segment of every customer axis and
    method of the segmentation, from the analysts' rules
    (seeds/customer_segment_name_rules.csv; macro segment_names says how a
    name is chosen, generated and made unique). One row per run, axis, method
    and segment path.
#}
{{ config(materialized='table') }}

{{ segment_names(ref('int_customer_segment_centres'), ref('customer_segment_name_rules')) }}
