{# Clusterable providers: one row per provider with numeric features. #}
with

checked as (
    select * from {{ ref('int_provider_features_checked') }}
),

clusterable as (
    select
        ----- ids
        provider_id,
        ----- strings
        provider_name,
        region,
        ----- numerics
        cast(avg_intelligence as double) as avg_intelligence,
        cast(avg_price as double) as avg_price,
        cast(avg_speed as double) as avg_speed,
        cast(model_count as integer) as model_count
    from checked
    where quarantine_reason is null
)

select * from clusterable
