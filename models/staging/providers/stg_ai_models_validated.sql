{#
    Every raw catalogue row, typed, with the reason it cannot be used (or null).
    stg_ai_models keeps the rows without a reason, stg_ai_models_quarantine the
    others, so the two add up to the source row count (tested).
    The row fingerprint (md5 of the values as text) finds exact duplicates and
    breaks the last tie of the ordering within one engine; DuckDB and Spark
    write some doubles differently as text (1e-05, 1.0E-5), so two different
    rows tied on every ordering column may keep another row on Spark.
#}
with

source as (
    {{ raw_source('ai_models') }}
),

typed as (
    select
        ----- ids
        nullif(trim(cast(model_id as {{ dbt.type_string() }})), '') as model_id,
        {{ normalize_key('creator') }} as provider_id,
        ----- strings
        trim(cast(model_name as {{ dbt.type_string() }})) as model_name,
        {{ clean_text('creator') }} as creator,
        cast(blended_price_per_1m_tokens as {{ dbt.type_string() }}) as price_text,
        cast(median_output_speed_tps as {{ dbt.type_string() }}) as speed_text,
        cast(intelligence_index as {{ dbt.type_string() }}) as intelligence_text,
        ----- numerics
        {{ try_cast('intelligence_index', 'double') }} as intelligence_index,
        {{ try_cast("nullif(trim(cast(blended_price_per_1m_tokens as " ~ dbt.type_string() ~ ")), '')", 'double') }}
            as blended_price_usd,
        {{ try_cast('median_output_speed_tps', 'double') }} as median_output_speed,
        ----- dates
        {{ try_cast('release_date', 'date') }} as release_date
    from source
),

value_checked as (
    select
        *,
        case
            when model_id is null then 'missing_model_id'
            when provider_id is null then 'missing_creator'
            when intelligence_text is not null and intelligence_index is null
                then 'non_numeric_intelligence_index'
            when intelligence_index < 0 or intelligence_index > 100
                then 'intelligence_index_out_of_range'
            when nullif(trim(price_text), '') is not null and blended_price_usd is null
                then 'non_numeric_price'
            when blended_price_usd < 0 then 'negative_price'
            when speed_text is not null and median_output_speed is null
                then 'non_numeric_speed'
            when median_output_speed < 0 then 'negative_speed'
        end as value_reason
    from typed
),

fingerprinted as (
    select
        *,
        md5(concat_ws('|',
            model_id, coalesce(model_name, '<null>'), coalesce(creator, '<null>'),
            coalesce(cast(intelligence_index as {{ dbt.type_string() }}), '<null>'),
            coalesce(cast(blended_price_usd as {{ dbt.type_string() }}), '<null>'),
            coalesce(cast(median_output_speed as {{ dbt.type_string() }}), '<null>'),
            coalesce(cast(release_date as {{ dbt.type_string() }}), '<null>')
        )) as row_fingerprint
    from value_checked
),

ranked as (
    -- among usable rows sharing a model_id, keep the latest, most complete one
    select
        *,
        row_number() over latest_first as model_id_rank,
        first_value(row_fingerprint) over latest_first as kept_fingerprint
    from fingerprinted
    window latest_first as (
        partition by model_id, value_reason is null
        order by
            release_date desc nulls last,
            intelligence_index desc nulls last,
            blended_price_usd asc nulls last,
            median_output_speed desc nulls last,
            row_fingerprint asc
    )
),

reasons as (
    select
        model_id,
        provider_id,
        model_name,
        creator,
        price_text,
        speed_text,
        intelligence_text,
        intelligence_index,
        blended_price_usd,
        median_output_speed,
        release_date,
        coalesce(
            value_reason,
            case
                when model_id_rank > 1 and row_fingerprint = kept_fingerprint
                    then 'duplicate_row'
                when model_id_rank > 1 then 'conflicting_duplicate_model_id'
            end
        ) as quarantine_reason
    from ranked
)

select * from reasons
