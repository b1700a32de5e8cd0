{#
    Every segment and sub-segment of every customer axis and method, per
    feature: the members' mean and median and the median's population
    percentile (the `segment_centre` rows of int_customer_segmentation). What
    the segment names read.
#}
{{ config(materialized='view') }}

{{ segment_centre_rows(ref('int_customer_segmentation')) }}
