{#
    Contracted reference model of the snapshots: the `reference` rows of
    int_customer_reference_model (its cluster_memory and lineage rows stay
    there). One row per axis, segment and feature. Columns and types: the
    contract in the YAML beside this model.
#}
with

reference as (
    {{ typed_rows(ref('int_customer_reference_model'), 'reference', exclude=['fit_key']) }}
),

typed as (
    {{ cast_to_contract('reference') }}
)

select * from typed
