{#
    Warns (does not fail) when the default snapshot schedule has fewer dates
    than var customer_snapshot_periods asks for: the history is younger than the
    schedule, which starts at the first period with valid orders. One row with
    the dates found; drift and transitions need two snapshots.
#}
{{ config(severity='warn') }}

with

schedule as (
    select count(*) as snapshot_dates, min(snapshot_date) as first_snapshot_date
    from {{ ref('int_customer_snapshot_dates') }}
    where is_default
)

select
    snapshot_dates,
    {{ var('customer_snapshot_periods') | int }} as periods_asked,
    first_snapshot_date
from schedule
where snapshot_dates < {{ var('customer_snapshot_periods') | int }}
