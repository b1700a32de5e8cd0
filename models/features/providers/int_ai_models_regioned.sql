{# Usable models with their provider's display name and region. One row per model. #}
with

models as (
    select * from {{ ref('stg_ai_models') }}
),

providers as (
    select provider_id, provider_name, region from {{ ref('int_providers_named') }}
),

models_regioned as (
    select
        ----- ids
        models.model_id,
        models.provider_id,
        ----- strings
        models.model_name,
        providers.provider_name,
        providers.region,
        ----- numerics
        models.intelligence_index,
        models.blended_price_usd,
        models.median_output_speed,
        ----- booleans
        models.has_intelligence_index,
        ----- dates
        models.release_date
    from models
    inner join providers
        on models.provider_id = providers.provider_id
)

select * from models_regioned
