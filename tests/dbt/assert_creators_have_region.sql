{{ config(severity='warn') }}
{#
    Lists creators that the seed provider_regions does not map (they fall into
    region 'Other'). A warning, not an error: add them to seeds/provider_regions.csv
    with their region, or leave them as Other on purpose.
#}
select provider_id, provider_name
from {{ ref('int_providers_named') }}
where not is_region_mapped
