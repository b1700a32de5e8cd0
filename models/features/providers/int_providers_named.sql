{#
    One row per provider (creator matching key): display name and region.
    The region comes from the analyst-edited seed provider_regions, matched on
    the normalised key (case and whitespace do not matter). Unmatched creators
    get region 'Other' and is_region_mapped = false. The display name is the
    seed's spelling when mapped, else the most frequent spelling in the catalogue
    (ties: alphabetical).
#}
with

models as (
    select provider_id, creator from {{ ref('stg_ai_models') }}
),

regions as (
    select
        {{ normalize_key('creator') }} as provider_id,
        {{ clean_text('creator') }} as creator,
        {{ clean_text('region') }} as region
    from {{ ref('provider_regions') }}
),

spellings_counted as (
    select provider_id, creator, count(*) as spelling_count
    from models
    group by provider_id, creator
),

spellings_ranked as (
    select
        provider_id,
        creator,
        row_number() over (
            partition by provider_id order by spelling_count desc, creator asc
        ) as spelling_rank
    from spellings_counted
),

providers_named as (
    select
        ----- ids
        spellings_ranked.provider_id,
        ----- strings
        coalesce(regions.creator, spellings_ranked.creator) as provider_name,
        coalesce(regions.region, 'Other') as region,
        ----- booleans
        regions.provider_id is not null as is_region_mapped
    from spellings_ranked
    left join regions
        on spellings_ranked.provider_id = regions.provider_id
    where spellings_ranked.spelling_rank = 1
)

select * from providers_named
