{# Contracted soft memberships. One row per customer, axis, method and top-level segment. Columns and types: the contract in the YAML beside this model. #}
with

typed as (
    {{ cast_to_contract(ref('int_customer_memberships')) }}
)

select * from typed
