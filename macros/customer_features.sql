{#
    customer_features_from(scoped_orders, group_columns): the behavioural
    feature select shared by customer_features (one as-of date) and
    int_customer_snapshot_features (one row per customer and snapshot date),
    so a snapshot is computed exactly like the current features.

    scoped_orders: a relation or CTE with customer_id, order_id, ordered_at,
    previous_ordered_at (stg_customer_orders: the customer's previous order, which is the
    same for every as-of date after the order), amount, item_count, is_returned,
    returned_at, product_category, as_of_at, the group_columns, and only orders
    placed before as_of_at (no leakage is the caller's filter). One share_*
    column per category of customer_categories(), plus share_other.

    Deterministic to the last bit: a sum of doubles depends on the order the
    engine adds them in, which varies with its threads from run to run, and the
    features feed the segmentation's run_id. So money is summed as
    decimal(38, 6) (exact; amounts below a millionth are rounded) and the
    interpurchase gaps are whole hours summed as integers (exact), the standard
    deviation from exact sums: sqrt((n*sum(h^2) - sum(h)^2) / (n*(n-1))).
    Averages of 0/1 flags, hours and item counts are exact already; they are
    averages of integers (not of 1.0 / 0.0, decimals on Spark, where avg() would
    round them to the decimal's scale), and the hours are divided as doubles.

    behaviour=true (customer_features only) adds the features of the axes
    the snapshots do not follow, so the snapshot history does not pay for them:
    gap_cv and max_gap_ratio (regularity: the gaps' standard deviation and
    longest gap over their mean; null below three / two orders),
    orders_prior_90_days, order_momentum and spend_momentum (momentum: log of
    (1 + the last 90 days) / (1 + the 90 days before)), total_items and
    log_price_per_item (basket), amount_cv and largest_order_ratio (spend
    volatility: the order amounts' standard deviation and largest order over
    their mean; null below two orders), n_categories, top_category_share and
    category_entropy (category breadth: distinct categories ordered, the
    largest share_* column, entropy of the share_* columns in nats),
    holiday_share and month_concentration (seasonality: the share of orders
    placed in November or December, and the sum of the
    squared shares of the twelve months of the year: 1/12 for orders spread
    evenly, 1 for orders all in one month). Their sums are exact like the
    others'.

    usual_gap_days, the customer's usual gap between orders, is computed here
    and only here: the mean gap (days from the first to the last order, in
    whole hours, / (orders - 1)), the days since the first order for a
    one-order customer, at least 1 day. The snapshot history stores it
    (customer_membership_snapshots); drift (macro event_surprise), lapse risk
    and the lapse model (cluster_marts.lapse) read it.
#}
{% macro customer_features_from(scoped_orders, group_columns=[], behaviour=false) %}
{%- set categories = customer_categories() -%}
{%- set share_columns = categories | map(attribute='column') | list + ['share_other'] -%}
{%- set keys = ['customer_id'] + group_columns + ['as_of_at'] -%}
with

orders_timed as (
    select
        *,
        extract(hour from ordered_at) as order_hour,
        {{ iso_weekday('ordered_at') }} as order_weekday,
        cast({{ hours_between('ordered_at', 'as_of_at') }} as double) / 24 as order_age_days,
        {{ hours_between('previous_ordered_at', 'ordered_at') }} as gap_hours,
        cast(amount as decimal(38, 6)) as amount_exact
        {%- if behaviour %},
        extract(month from ordered_at) as order_month
        {%- endif %}
    from {{ scoped_orders }}
),

aggregated as (
    select
        {{ keys | join(', ') }},
        count(*) as frequency,
        sum(amount_exact) as monetary_exact,
        avg(item_count) as items_per_order,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at,
        min(order_age_days) as recency_days,
        max(order_age_days) as tenure_days,
        sum(case when order_age_days <= 90 then 1 else 0 end) as orders_last_90_days,
        sum(case when order_age_days <= 90 then amount_exact else 0 end) as monetary_last_90_days_exact,
        count(gap_hours) as n_gaps,
        sum(gap_hours) as gap_hours_sum,
        sum(gap_hours * gap_hours) as gap_hours_sum_squares,
        -- a return counts from the moment it came back (no leakage into older snapshots)
        avg(case when is_returned and (returned_at is null or returned_at < as_of_at) then 1 else 0 end)
            as return_rate,
        avg(case when order_weekday in (6, 7) then 1 else 0 end) as weekend_share,
        avg(case when order_hour >= 18 then 1 else 0 end) as evening_share,
        avg(case when order_weekday between 1 and 5 and order_hour between 9 and 16 then 1 else 0 end)
            as business_hours_share,
        avg(order_hour) as mean_order_hour,
        {% for category in categories %}
        avg(case when product_category = {{ category.literal }} then 1 else 0 end) as {{ category.column }},
        {% endfor %}
        -- a listed category is not other; any other category and a missing one are (null or false is null)
        avg(case when {% for category in categories %}product_category = {{ category.literal }} or {% endfor %}false
                 then 0 else 1 end) as share_other
        {%- if behaviour %},
        max(gap_hours) as gap_hours_max,
        sum(case when order_age_days > 90 and order_age_days <= 180 then 1 else 0 end) as orders_prior_90_days,
        sum(case when order_age_days > 90 and order_age_days <= 180 then amount_exact else 0 end)
            as monetary_prior_90_days_exact,
        sum(item_count) as total_items,
        sum(amount_exact * amount_exact) as amount_sum_squares,
        max(amount_exact) as amount_max_exact,
        count(distinct product_category) as n_categories,
        {%- for month in range(1, 13) %}
        avg(case when order_month = {{ month }} then 1 else 0 end) as month_{{ month }}_share
        {{- ',' if not loop.last }}
        {%- endfor %}
        {%- endif %}
    from orders_timed
    group by {{ keys | join(', ') }}
),

aggregated_exact as (
    select
        *,
        cast(monetary_exact as double) as monetary,
        cast(monetary_exact as double) / frequency as avg_order_value,
        cast(monetary_last_90_days_exact as double) as monetary_last_90_days,
        cast(gap_hours_sum as double) / nullif(n_gaps, 0) / 24.0 as avg_interpurchase_days,
        sqrt(cast(n_gaps * gap_hours_sum_squares - gap_hours_sum * gap_hours_sum as double)
             / nullif(n_gaps * (n_gaps - 1), 0)) / 24.0 as std_interpurchase_days
        {%- if behaviour %},
        cast(monetary_prior_90_days_exact as double) as monetary_prior_90_days,
        -- the exact sums as doubles, then the one formula: no decimal overflow on large amounts
        sqrt(greatest(frequency * cast(amount_sum_squares as double)
                      - cast(monetary_exact as double) * cast(monetary_exact as double), 0)
             / nullif(frequency * (frequency - 1), 0)) as amount_std,
        cast(amount_max_exact as double) as amount_max
        {%- endif %}
    from aggregated
),

features as (
    select
        ----- ids
        customer_id,
        {% for column in group_columns %}{{ column }},
        {% endfor %}
        ----- numerics
        cast(frequency as integer) as frequency,
        monetary,
        avg_order_value,
        items_per_order,
        recency_days,
        tenure_days,
        frequency / greatest(tenure_days / 30.44, 1.0) as orders_per_month,
        cast(orders_last_90_days as integer) as orders_last_90_days,
        monetary_last_90_days,
        avg_interpurchase_days,
        std_interpurchase_days,
        coalesce(avg_interpurchase_days, tenure_days) as interpurchase_days_filled,
        -- the customer's usual gap, written once: read by drift, lapse risk and the lapse model
        greatest(coalesce(avg_interpurchase_days, tenure_days), 1.0) as usual_gap_days,
        ln(frequency) as log_frequency,
        ln(1 + monetary) as log_monetary,
        ln(1 + avg_order_value) as log_avg_order_value,
        ln(1 + orders_last_90_days) as log_orders_last_90_days,
        ln(1 + recency_days) as log_recency_days,
        return_rate,
        weekend_share,
        evening_share,
        business_hours_share,
        mean_order_hour,
        {% for category in categories %}
        {{ category.column }},
        {% endfor %}
        share_other,
        {%- if behaviour %}
        ----- behaviour (the axes the snapshots do not follow)
        case when n_gaps >= 2 then coalesce(std_interpurchase_days / nullif(avg_interpurchase_days, 0), 0) end
            as gap_cv,
        case when n_gaps >= 1 then coalesce(gap_hours_max / nullif(gap_hours_sum / n_gaps, 0), 1) end
            as max_gap_ratio,
        cast(orders_prior_90_days as integer) as orders_prior_90_days,
        ln((1 + orders_last_90_days) / (1.0 + orders_prior_90_days)) as order_momentum,
        ln((1 + monetary_last_90_days) / (1 + monetary_prior_90_days)) as spend_momentum,
        cast(total_items as integer) as total_items,
        ln(1 + monetary / greatest(total_items, 1)) as log_price_per_item,
        case when frequency >= 2 then coalesce(amount_std / nullif(avg_order_value, 0), 0) end as amount_cv,
        case when frequency >= 2 then coalesce(amount_max / nullif(avg_order_value, 0), 1) end
            as largest_order_ratio,
        cast(n_categories as integer) as n_categories,
        {% if share_columns | length > 1 %}greatest({{ share_columns | join(', ') }}){% else %}share_other{% endif %}
            as top_category_share,
        {% for column in share_columns %}case when {{ column }} > 0 then -{{ column }} * ln({{ column }}) else 0 end
        + {% endfor %}0 as category_entropy,
        month_11_share + month_12_share as holiday_share,
        {% for month in range(1, 13) %}month_{{ month }}_share * month_{{ month }}_share{{ ' + ' if not loop.last }}
        {%- endfor %} as month_concentration,
        {%- endif %}
        ----- timestamps
        first_ordered_at,
        last_ordered_at,
        as_of_at
    from aggregated_exact
)

select * from features
{% endmacro %}


{#
    customer_categories(): the categories that get a share_<name> feature, as
    dicts {value, literal, column}: var customer_categories when set (a list,
    in its order), else discovered from stg_customer_orders: the
    customer_top_categories (default 8) categories with the most valid orders,
    most first. Any other category, and orders without one, count in
    share_other. Column names are the category lower-cased with every run of
    other characters turned into `_` ("Home & Garden" -> share_home_garden).
    No category at all (e.g. the orders have no product_category column):
    only share_other, which is then 1 for everyone and the category axis is
    left out as constant.
#}
{% macro customer_categories() %}
{%- set configured = var('customer_categories', none) -%}
{%- if configured is not none and configured is string -%}
    {%- set configured = [configured] -%}
{%- endif -%}
{%- set values = [] -%}
{%- if configured -%}
    {%- for value in configured %}{% do values.append(value | string | lower | trim) %}{% endfor -%}
{%- elif execute and load_relation(ref('stg_customer_orders')) is not none -%}
    {#- not built yet (dbt compile, docs generate on an empty warehouse): no category columns -#}
    {%- set discovered = run_query(
        'select product_category from ' ~ ref('stg_customer_orders')
        ~ ' where product_category is not null group by product_category'
        ~ ' order by count(*) desc, product_category limit '
        ~ (var('customer_top_categories', 8) | int)) -%}
    {%- for row in discovered.rows %}{% do values.append(row[0]) %}{% endfor -%}
{%- endif -%}
{%- set categories = [] -%}
{%- set columns = ['share_other'] -%}
{%- for value in values -%}
    {%- set slug = modules.re.sub('[^a-z0-9]+', '_', value) | trim('_') -%}
    {%- set column = 'share_' ~ (slug or 'category_' ~ loop.index) -%}
    {%- if column in columns -%}
        {%- set column = column ~ '_' ~ loop.index -%}
    {%- endif -%}
    {%- do columns.append(column) -%}
    {%- do categories.append({'value': value, 'literal': "'" ~ value | replace("'", "''") ~ "'",
                              'column': column}) -%}
{%- endfor -%}
{{ return(categories) }}
{% endmacro %}
