{# Contracted, typed DFU scaler parameters: scaled = (least(greatest(value, clip_lower), clip_upper) - center) / scale
    (null clip bounds: not clipped). One row per feature. (casts: macros/engine_outputs.sql) #}
with

typed as (
    {{ cast_scaler_params(ref('int_dfu_scaler_params')) }}
)

select * from typed
