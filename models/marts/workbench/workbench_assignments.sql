{#
    Contracted workbench `assignments` table for every shipped spec. One row per spec and source row.
    Columns and types: the contract in the YAML beside this model.
#}
with

typed as (
    {{ cast_to_contract(ref('int_workbench_assignments')) }}
)

select * from typed
