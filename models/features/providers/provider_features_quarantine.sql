{# Providers that cannot be clustered, with the reason. One row per provider. #}
with

checked as (
    select * from {{ ref('int_provider_features_checked') }}
),

quarantined as (
    select
        ----- ids
        provider_id,
        ----- strings
        provider_name,
        region,
        quarantine_reason,
        ----- numerics
        cast(model_count as integer) as model_count
    from checked
    where quarantine_reason is not null
)

select * from quarantined
