{#
    Contracted reference model of the snapshots. One row per axis, segment and feature. Columns and
    types: the contract in the YAML beside this model.
#}
with

typed as (
    {{ cast_to_contract(ref('int_customer_reference_model')) }}
)

select * from typed
