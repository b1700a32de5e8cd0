{# Catalogue rows that cannot be used, with the raw text and the reason. #}
with

validated as (
    select * from {{ ref('stg_ai_models_validated') }}
),

quarantined as (
    select
        ----- ids
        model_id,
        provider_id,
        ----- strings
        model_name,
        creator,
        quarantine_reason,
        intelligence_text,
        price_text,
        speed_text,
        ----- dates
        release_date
    from validated
    where quarantine_reason is not null
)

select * from quarantined
