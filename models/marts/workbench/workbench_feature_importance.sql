{#
    Contracted workbench `feature_importance` table for every shipped spec. One row per spec and
    feature. Columns and types: the contract in the YAML beside this model.
#}
with

typed as (
    {{ cast_to_contract(ref('int_workbench_feature_importance')) }}
)

select * from typed
