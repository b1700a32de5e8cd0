{#
    Snapshot dates of every snapshot type of this build (macro snapshot_types:
    var customer_snapshot_type, one type or a list). The default schedule of a
    type is its last var customer_snapshot_periods period ends (day, week,
    month, quarter or year ends; macro snapshot_periods_of) whose end of day is
    on or before the as-of moment of customer_features and after the first
    valid order: a younger history has fewer periods (the warn-level test
    customer_snapshot_schedule_short says so in the build log). The default
    reference date is chosen from the primary type's schedule
    (int_customer_reference_features). This run computes var
    customer_snapshot_dates when set (a list of dates, each taken for every
    listed type whose period ends on it: macro requested_snapshots), else the
    default schedule (is_in_run). One row per type and date;
    snapshot_at is the end of the snapshot date (only orders strictly before
    it count).

    snapshot_id names the snapshot ('<type>-<date>', e.g. monthly-2026-10-31);
    input_fingerprint is a hash of the orders it sees (their number, total
    amount in cents, items, returns and order days; macros
    snapshot_order_totals, snapshot_input_fingerprint): with the
    reference model's runs it makes the snapshot's data_version
    (int_customer_snapshot_memberships).
#}
{%- set types = snapshot_types() -%}
{%- set requested = requested_snapshots() -%}
with

as_of as (
    select max(as_of_at) as as_of_at from {{ ref('customer_features') }}
),

orders as (
    select * from {{ ref('stg_customer_orders') }}
),

first_order as (
    select min(ordered_at) as first_ordered_at from orders
),

order_days as (
    -- the orders of each day, so a snapshot's inputs are summed over days, not orders
    select
        cast(orders.ordered_at as date) as order_day,
        {{ snapshot_order_totals('orders') }}
    from orders
    group by cast(orders.ordered_at as date)
),

schedule_candidates as (
    {% for snapshot_type in types %}
    select
        '{{ snapshot_type }}' as snapshot_type,
        {{ snapshot_period_end(snapshot_type,
            snapshot_period_offset(snapshot_type, 'series.generated_number - 1',
                                   "cast(" ~ dbt.dateadd('day', -1, 'as_of.as_of_at') ~ " as date)")) }}
            as snapshot_date
    from ({{ dbt.generate_series(snapshot_periods_of(snapshot_type) + 1) }}) as series
    cross join as_of
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

schedule as (
    select
        snapshot_type,
        snapshot_date,
        row_number() over (partition by snapshot_type order by snapshot_date desc) as recency_rank
    from (
        select distinct schedule_candidates.snapshot_type, schedule_candidates.snapshot_date
        from schedule_candidates
        cross join as_of
        cross join first_order
        where {{ dbt.dateadd('day', 1, 'schedule_candidates.snapshot_date') }} <= as_of.as_of_at
            -- the first period with orders starts the schedule
            and {{ dbt.dateadd('day', 1, 'schedule_candidates.snapshot_date') }} > first_order.first_ordered_at
    ) as complete_periods
),

default_dates as (
    select snapshot_type, snapshot_date, true as is_default
    from schedule
    where
        {% for snapshot_type in types %}
        (snapshot_type = '{{ snapshot_type }}' and recency_rank <= {{ snapshot_periods_of(snapshot_type) }})
        {% if not loop.last %}or{% endif %}
        {% endfor %}
),

requested_snapshots as (
    {% for snapshot_type, snapshot_date in requested %}
    select '{{ snapshot_type }}' as snapshot_type, cast('{{ snapshot_date }}' as date) as snapshot_date
    {% if not loop.last %}union all{% endif %}
    {% else %}
    select cast(null as {{ dbt.type_string() }}) as snapshot_type, cast(null as date) as snapshot_date where false
    {% endfor %}
),

dates as (
    select
        coalesce(default_dates.snapshot_type, requested_snapshots.snapshot_type) as snapshot_type,
        coalesce(default_dates.snapshot_date, requested_snapshots.snapshot_date) as snapshot_date,
        coalesce(default_dates.is_default, false) as is_default,
        {% if requested %}requested_snapshots.snapshot_date is not null{% else %}true{% endif %} as is_in_run
    from default_dates
    full outer join requested_snapshots
        on default_dates.snapshot_type = requested_snapshots.snapshot_type
        and default_dates.snapshot_date = requested_snapshots.snapshot_date
),

inputs as (
    select
        dates.snapshot_type,
        dates.snapshot_date,
        {%- for total in snapshot_total_names() %}
        coalesce(sum(order_days.{{ total }}), 0) as {{ total }}{{ ',' if not loop.last }}
        {%- endfor %}
    from dates
    left join order_days
        on dates.snapshot_date >= order_days.order_day
    group by dates.snapshot_type, dates.snapshot_date
),

final as (
    select
        ----- ids
        {{ snapshot_id('dates.snapshot_type', 'dates.snapshot_date') }} as snapshot_id,
        ----- strings
        dates.snapshot_type,
        {{ snapshot_input_fingerprint('inputs') }} as input_fingerprint,
        ----- booleans
        dates.is_default,
        dates.is_in_run,
        ----- dates
        dates.snapshot_date,
        ----- timestamps
        cast({{ dbt.dateadd('day', 1, 'dates.snapshot_date') }} as timestamp) as snapshot_at
    from dates
    inner join inputs
        on dates.snapshot_type = inputs.snapshot_type
        and dates.snapshot_date = inputs.snapshot_date
)

select * from final
