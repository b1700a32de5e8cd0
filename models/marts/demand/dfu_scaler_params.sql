{# Contracted, typed DFU scaler parameters: scaled = (least(greatest(value, clip_lower), clip_upper) - center) / scale
    (null clip bounds: not clipped). One row per feature. #}
with

typed as (
    {{ cast_to_contract(ref('int_dfu_scaler_params')) }}
)

select * from typed
