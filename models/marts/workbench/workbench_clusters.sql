{#
    Contracted workbench `clusters` table for every shipped spec. One row per spec and cluster. Columns
    and types: the contract in the YAML beside this model.
#}
with

typed as (
    {{ cast_to_contract(ref('int_workbench_clusters')) }}
)

select * from typed
