{#
    Contracted reference model of the snapshots: the `reference` rows of
    int_customer_reference_model (its cluster_memory and lineage rows stay
    there), with each segment's name (int_customer_reference_segment_names).
    One row per axis, segment and feature. Columns and types: the
    contract in the YAML beside this model.
#}
with

reference_rows as (
    {{ typed_rows(ref('int_customer_reference_model'), 'reference', exclude=['fit_key']) }}
),

names as (
    select * from {{ ref('int_customer_reference_segment_names') }}
),

reference as (
    select reference_rows.*, names.segment_name
    from reference_rows
    inner join names
        on {{ is_reference_segment('names', 'reference_rows.run_id', 'reference_rows.axis',
                                   'reference_rows.segment_id') }}
),

typed as (
    {{ cast_to_contract('reference') }}
)

select * from typed
