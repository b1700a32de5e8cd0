{# Contracted, typed k-selection scores. One row per k. (casts: macros/engine_outputs.sql) #}
with

typed as (
    {{ cast_k_selection(ref('int_provider_k_selection')) }}
)

select * from typed
