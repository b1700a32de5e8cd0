{#
    Snapshot dates. The default schedule is the last var customer_snapshot_periods
    period ends (month or week ends, var customer_snapshot_type) whose end of
    day is on or before the as-of moment of customer_features and after the
    first valid order: a younger history has fewer periods (the warn-level test
    customer_snapshot_schedule_short says so in the build log). The default
    reference date is chosen from them (int_customer_reference_features). This run computes var
    customer_snapshot_dates when set (a list of dates), else the default
    schedule (is_in_run). One row per date; snapshot_at is the end of the
    snapshot date (only orders strictly before it count).
#}
{%- set snapshot_type = var('customer_snapshot_type') -%}
{%- set requested = var('customer_snapshot_dates') -%}
{%- set requested = ([requested] if requested is string else requested) if requested else [] -%}
{%- set periods = var('customer_snapshot_periods') | int -%}
with

as_of as (
    select max(as_of_at) as as_of_at from {{ ref('customer_features') }}
),

first_order as (
    select min(ordered_at) as first_ordered_at from {{ ref('stg_customer_orders') }}
),

schedule_candidates as (
    select
        {{ snapshot_period_end(snapshot_type,
            snapshot_period_offset(snapshot_type, 'series.generated_number - 1',
                                   "cast(" ~ dbt.dateadd('day', -1, 'as_of.as_of_at') ~ " as date)")) }}
            as snapshot_date
    from ({{ dbt.generate_series(periods + 1) }}) as series
    cross join as_of
),

schedule as (
    select snapshot_date, row_number() over (order by snapshot_date desc) as recency_rank
    from (
        select distinct schedule_candidates.snapshot_date
        from schedule_candidates
        cross join as_of
        cross join first_order
        where {{ dbt.dateadd('day', 1, 'schedule_candidates.snapshot_date') }} <= as_of.as_of_at
            -- the first period with orders starts the schedule
            and {{ dbt.dateadd('day', 1, 'schedule_candidates.snapshot_date') }} > first_order.first_ordered_at
    ) as complete_periods
),

default_dates as (
    select snapshot_date, true as is_default from schedule where recency_rank <= {{ periods }}
),

requested_dates as (
    {% for snapshot_date in requested %}
    select cast('{{ snapshot_date }}' as date) as snapshot_date
    {% if not loop.last %}union all{% endif %}
    {% else %}
    select cast(null as date) as snapshot_date where false
    {% endfor %}
),

dates as (
    select
        coalesce(default_dates.snapshot_date, requested_dates.snapshot_date) as snapshot_date,
        coalesce(default_dates.is_default, false) as is_default,
        {% if requested %}requested_dates.snapshot_date is not null{% else %}true{% endif %} as is_in_run
    from default_dates
    full outer join requested_dates
        on default_dates.snapshot_date = requested_dates.snapshot_date
),

final as (
    select
        ----- strings
        '{{ snapshot_type }}' as snapshot_type,
        ----- booleans
        is_default,
        is_in_run,
        ----- dates
        snapshot_date,
        ----- timestamps
        cast({{ dbt.dateadd('day', 1, 'snapshot_date') }} as timestamp) as snapshot_at
    from dates
)

select * from final
