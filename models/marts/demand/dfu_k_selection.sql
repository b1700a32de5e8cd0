{# Contracted, typed k-selection scores of the DFU clustering. One row per k. (casts: macros/engine_outputs.sql) #}
with

typed as (
    {{ cast_k_selection(ref('int_dfu_k_selection')) }}
)

select * from typed
