{#
    One row per customer of customer_features: who the customer is, as BI
    users ask it. The facts (first and last order, orders, revenue), per axis
    the named segment of the primary method (var customer_primary_method;
    columns <axis>_segment (the most specific name), <axis>_segment_group,
    <axis>_segment_id, <axis>_membership, <axis>_is_transitioning, from
    customer_profile_axes; null for an axis skipped for lack of data), the
    lapse risk at the latest snapshot (customer_lapse_risk) and the predicted
    value (customer_value). The per-axis columns
    are made from the configured axes (macro customer_axes); an axis added to
    the segmentation's YAML needs its five columns in this model's contract.
#}
{%- set axes = customer_axes() -%}
with

features as (
    select * from {{ ref('customer_features') }}
),

axes as (
    -- a per-store fit (<axis>@<store>) fills its axis's columns: a customer is in one store
    select *, {{ axis_base('axis') }} as base_axis from {{ ref('customer_profile_axes') }}
),

wide_axes as (
    select
        customer_id
        {%- for axis in axes %},
        max(case when base_axis = '{{ axis }}' then segment_name end) as {{ axis }}_segment,
        max(case when base_axis = '{{ axis }}' then segment_group end) as {{ axis }}_segment_group,
        max(case when base_axis = '{{ axis }}' then segment_id end) as {{ axis }}_segment_id,
        max(case when base_axis = '{{ axis }}' then membership end) as {{ axis }}_membership,
        {{ dbt.bool_or("case when base_axis = '" ~ axis ~ "' then is_transitioning end") }}
            as {{ axis }}_is_transitioning
        {%- endfor %}
    from axes
    group by customer_id
),

lapse as (
    select * from {{ ref('customer_lapse_risk') }}
    where snapshot_type = '{{ primary_snapshot_type() }}'
),

latest_date as (
    select max(snapshot_date) as snapshot_date from lapse
),

latest_lapse as (
    select lapse.*
    from lapse
    inner join latest_date
        on lapse.snapshot_date = latest_date.snapshot_date
),

customer_value as (
    select customer_id, expected_orders, expected_spend, p_alive from {{ ref('customer_value') }}
),

profile as (
    select
        features.customer_id,
        features.store_id,
        features.first_ordered_at,
        features.last_ordered_at,
        features.frequency as orders,
        features.monetary as revenue,
        features.recency_days,
        features.tenure_days
        {%- for axis in axes %},
        wide_axes.{{ axis }}_segment,
        wide_axes.{{ axis }}_segment_group,
        wide_axes.{{ axis }}_segment_id,
        wide_axes.{{ axis }}_membership,
        wide_axes.{{ axis }}_is_transitioning
        {%- endfor %},
        latest_lapse.snapshot_date as lapse_snapshot_date,
        latest_lapse.lapse_score,
        latest_lapse.lapse_rank,
        latest_lapse.is_lapsing,
        latest_lapse.reason,
        customer_value.expected_orders,
        customer_value.expected_spend,
        customer_value.p_alive,
        features.as_of_at
    from features
    left join wide_axes
        on features.customer_id = wide_axes.customer_id
    left join latest_lapse
        on features.customer_id = latest_lapse.customer_id
    left join customer_value
        on features.customer_id = customer_value.customer_id
),

final as (
    {{ cast_to_contract('profile') }}
)

select * from final
