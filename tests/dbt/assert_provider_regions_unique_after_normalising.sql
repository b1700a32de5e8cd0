{#
    The region seed is matched on the normalised creator (case and whitespace
    ignored), so two rows such as "OpenAI" and "openai " would duplicate a
    provider. Returns the normalised names listed more than once.
#}
select {{ normalize_key('creator') }} as creator_key, count(*) as n_rows
from {{ ref('provider_regions') }}
group by 1
having count(*) > 1
