{# Contracted, typed k-selection scores: the one k-selection schema (models/marts/_k_selection__models.yml). #}
with

typed as (
    {{ cast_to_contract(ref('int_workbench_k_selection')) }}
)

select * from typed
