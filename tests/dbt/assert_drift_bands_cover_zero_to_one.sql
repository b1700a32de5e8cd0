{#
    The severity bands must tile [0, 1] without gaps or overlaps, or some drift
    scores would get no severity (or two). Returns the offending bands.
#}
with

bands as (
    select
        *,
        lead(lower_bound) over (order by lower_bound) as next_lower_bound,
        row_number() over (order by lower_bound) as band_number,
        count(*) over () as band_count
    from {{ ref('drift_severity_bands') }}
)

select *
from bands
where (band_number = 1 and lower_bound <> 0)
    or (band_number < band_count and (upper_bound is null or upper_bound <> next_lower_bound))
    or (band_number = band_count and upper_bound is not null and upper_bound <= 1)
