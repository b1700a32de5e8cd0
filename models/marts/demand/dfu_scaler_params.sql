{# Contracted, typed DFU scaler parameters: scaled = (value - center) / scale. One row per feature. (casts: macros/engine_outputs.sql) #}
with

typed as (
    {{ cast_scaler_params(ref('int_dfu_scaler_params')) }}
)

select * from typed
