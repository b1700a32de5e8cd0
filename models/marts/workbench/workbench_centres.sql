{#
    Contracted workbench `centres` table for every shipped spec. One row per spec, cluster and feature.
    Columns and types: the contract in the YAML beside this model.
#}
with

typed as (
    {{ cast_to_contract(ref('int_workbench_centres')) }}
)

select * from typed
