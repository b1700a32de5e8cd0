{#
    Contracted workbench `metrics` table for every shipped spec. One row per spec and metric the spec
    lists (silhouette, calinski_harabasz, davies_bouldin, inertia, ari, nmi, stability). Columns and
    types: the contract in the YAML beside this model.
#}
with

typed as (
    {{ cast_to_contract(ref('int_workbench_metrics')) }}
)

select * from typed
