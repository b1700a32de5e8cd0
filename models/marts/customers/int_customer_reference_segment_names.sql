{#
    The name of every segment of the snapshots' reference model (one fcm fit
    per axis at the reference date), by the same rules as the segmentation's
    (macro segment_names). One row per run, axis and segment.
#}
{{ config(materialized='table') }}

{{ segment_names(ref('int_customer_reference_centres'), ref('customer_segment_name_rules')) }}
