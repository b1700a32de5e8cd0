{#
    Warns (does not fail) when the default snapshot schedule of a type has
    fewer dates than var customer_snapshot_periods asks for it (macro
    snapshot_periods_of): the history is younger than the schedule, which
    starts at the first period with valid orders. One row per such type, with
    the dates found; drift and transitions need two snapshots.
#}
{{ config(severity='warn') }}

with

asked as (
    {% for snapshot_type in snapshot_types() %}
    select '{{ snapshot_type }}' as snapshot_type, {{ snapshot_periods_of(snapshot_type) }} as periods_asked
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

schedule as (
    select snapshot_type, count(*) as snapshot_dates, min(snapshot_date) as first_snapshot_date
    from {{ ref('int_customer_snapshot_dates') }}
    where is_default
    group by snapshot_type
)

select
    asked.snapshot_type,
    coalesce(schedule.snapshot_dates, 0) as snapshot_dates,
    asked.periods_asked,
    schedule.first_snapshot_date
from asked
left join schedule
    on asked.snapshot_type = schedule.snapshot_type
where coalesce(schedule.snapshot_dates, 0) < asked.periods_asked
