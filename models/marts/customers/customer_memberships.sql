{#
    Contracted soft memberships. One row per customer, axis, method and top-level segment. Columns and types: the
    contract in the YAML beside this model. A view: the warehouse stores the memberships once, as a list per
    customer, axis and method (int_customer_segmentation); this long form is computed when it is read.
#}
{{ config(materialized='view') }}
with

typed as (
    {{ cast_to_contract(ref('int_customer_memberships')) }}
)

select * from typed
