{# Contracted k-selection table of the customer segmentation. One row per axis, method and k. #}
with

typed as (
    {{ cast_k_selection(ref('int_customer_k_selection')) }}
)

select * from typed
