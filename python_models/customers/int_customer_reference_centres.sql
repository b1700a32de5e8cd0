{#
    Every segment of the snapshots' reference model, per feature: the
    members' mean and median and the median's population percentile at the
    reference date (the `segment_centre` rows of int_customer_reference_model).
    What the reference segment names read.
#}
{{ config(materialized='view') }}

{{ segment_centre_rows(ref('int_customer_reference_model')) }}
