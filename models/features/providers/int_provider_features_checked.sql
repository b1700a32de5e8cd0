{#
    Every provider with its features and, when it cannot be clustered, the reason.
    Only models with a valid intelligence index count towards the averages.
#}
with

providers as (
    select * from {{ ref('int_providers_named') }}
),

scored_models as (
    select * from {{ ref('int_ai_models_regioned') }}
    where has_intelligence_index
),

aggregated as (
    select
        provider_id,
        -- summed as decimals (macro exact_avg): exact, so the features (and the run_id hashed from them) are
        -- the same to the last bit on every build (a double sum depends on the order the threads add in)
        {{ exact_avg('intelligence_index') }} as avg_intelligence,
        {{ exact_avg('blended_price_usd') }} as avg_price,
        {{ exact_avg('median_output_speed') }} as avg_speed,
        count(*) as model_count
    from scored_models
    group by provider_id
),

checked as (
    select
        ----- ids
        providers.provider_id,
        ----- strings
        providers.provider_name,
        providers.region,
        case
            when aggregated.provider_id is null then 'no_model_with_intelligence_index'
            when aggregated.avg_price is null then 'no_model_with_price'
            when aggregated.avg_speed is null then 'no_model_with_speed'
        end as quarantine_reason,
        ----- numerics
        aggregated.avg_intelligence,
        aggregated.avg_price,
        aggregated.avg_speed,
        cast(coalesce(aggregated.model_count, 0) as integer) as model_count
    from providers
    left join aggregated
        on providers.provider_id = aggregated.provider_id
)

select * from checked
