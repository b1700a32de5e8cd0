{# Item master, typed. One row per item. #}
with

source as (
    {{ raw_source('dim_item') }}
),

typed as (
    select
        ----- ids
        {{ clean_text('item_id') }} as item_id,
        ----- strings
        {{ clean_text('category') }} as category,
        {{ clean_text('class') }} as item_class,
        {{ clean_text('sub_class') }} as sub_class,
        {{ clean_text('brand_name') }} as brand_name,
        {{ clean_text('country') }} as country,
        {{ clean_text('national_service_model') }} as national_service_model,
        ----- numerics
        {{ try_cast('case_weight', 'double') }} as case_weight,
        {{ try_cast('item_proof', 'double') }} as item_proof,
        {{ try_cast('bpc', 'double') }} as bpc,
        {{ try_cast('bottle_pack', 'double') }} as bottle_pack,
        {{ try_cast('pack_case', 'double') }} as pack_case
    from source
)

select * from typed
