{#
    The one dimension of customer segment names: every segment and
    sub-segment of the segmentation (every axis and method) and of the
    snapshots' reference model, with its name, the name of its top-level
    segment, where the name comes from and what it means. Marts and views join
    it by (fit, run_id, axis, method, segment_path), so a rule edited in the
    seed renames the segments everywhere, history included, without a refit.
    Columns and types: the contract in the YAML beside this model.
#}
with

names as (
    select 'segmentation' as fit, * from {{ ref('int_customer_segment_names') }}
    union all
    select 'reference' as fit, * from {{ ref('int_customer_reference_segment_names') }}
),

final as (
    {{ cast_to_contract('names') }}
)

select * from final
