{#
    Contracted workbench `suggestions` table for every shipped spec. One row per spec and suggestion.
    Columns and types: the contract in the YAML beside this model.
#}
with

typed as (
    {{ cast_to_contract(ref('int_workbench_suggestions')) }}
)

select * from typed
