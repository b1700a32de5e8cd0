{#
    Contracted fit metrics and parameters. One row per axis and method. Columns and types: the contract
    in the YAML beside this model.
#}
with

typed as (
    {{ cast_to_contract(ref('int_customer_fit_metrics')) }}
)

select * from typed
