{# Usable catalogue rows: typed, one row per model_id. #}
with

validated as (
    select * from {{ ref('stg_ai_models_validated') }}
),

usable as (
    select
        ----- ids
        model_id,
        provider_id,
        ----- strings
        model_name,
        creator,
        ----- numerics
        intelligence_index,
        blended_price_usd,
        median_output_speed,
        ----- booleans
        intelligence_index is not null as has_intelligence_index,
        ----- dates
        release_date
    from validated
    where quarantine_reason is null
)

select * from usable
