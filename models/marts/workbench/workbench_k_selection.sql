{# Contracted workbench `k_selection` table, one row per spec and k. (casts: macros/engine_outputs.sql) #}
with

typed as (
    {{ cast_k_selection(ref('int_workbench_k_selection'), keys=['spec_name']) }}
)

select * from typed
