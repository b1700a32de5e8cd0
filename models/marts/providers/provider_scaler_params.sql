{# Contracted scaler parameters: scaled = (value - center) / scale. One row per feature. #}
with

params as (
    select * from {{ ref('int_provider_scaler_params') }}
),

typed as (
    select
        ----- ids
        cast(run_id as varchar) as run_id,
        ----- strings
        cast(feature as varchar) as feature,
        cast(method as varchar) as method,
        ----- numerics
        cast(center as double) as center,
        cast(scale as double) as scale,
        ----- booleans
        cast(is_used as boolean) as is_used
    from params
)

select * from typed
