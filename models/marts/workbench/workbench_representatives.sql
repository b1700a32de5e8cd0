{#
    Contracted workbench `representatives` table for every shipped spec. One row per spec, cluster and
    rank. Columns and types: the contract in the YAML beside this model.
#}
with

typed as (
    {{ cast_to_contract(ref('int_workbench_representatives')) }}
)

select * from typed
