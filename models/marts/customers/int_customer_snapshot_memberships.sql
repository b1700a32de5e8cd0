-- depends_on: {{ ref('int_customer_snapshot_features') }}
{#
    Scores every snapshot of this run with the reference model, in SQL: each
    feature is scaled with the reference scaler, the squared distance to every
    reference centre is summed over the axis's features, and the FCM
    membership is u_j = d2_j^(-1/(m-1)) / sum_l d2_l^(-1/(m-1)); a snapshot
    sitting exactly on a centre gets a one-hot row. The same formula is
    cluster_marts.profiling.reference.score_memberships (tested against it).
    One row per customer, axis, snapshot date and type, and segment.
#}
{%- set feature_columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('int_customer_snapshot_features')) -%}
        {%- if column.is_number() -%}
            {%- do feature_columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}
with

reference as (
    select * from {{ ref('customer_reference_model') }}
),

feature_values as (
    {% for column in feature_columns %}
    select customer_id, snapshot_date, snapshot_type, '{{ column }}' as feature,
           cast({{ column }} as double) as feature_value
    from {{ ref('int_customer_snapshot_features') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

distances as (
    select
        feature_values.customer_id,
        feature_values.snapshot_date,
        feature_values.snapshot_type,
        reference.axis,
        reference.segment_id,
        max(reference.fuzziness) as fuzziness,
        max(reference.run_id) as reference_run_id,
        sum(power(
            (feature_values.feature_value - reference.scaler_center) / reference.scaler_scale
            - reference.center_scaled, 2)) as squared_distance
    from feature_values
    inner join reference
        on feature_values.feature = reference.feature
    group by
        feature_values.customer_id, feature_values.snapshot_date, feature_values.snapshot_type,
        reference.axis, reference.segment_id
),

weighted as (
    select
        *,
        sum(case when squared_distance = 0 then 1 else 0 end) over snapshot_axis as centres_hit,
        case
            when squared_distance = 0 then 1.0
            else power(squared_distance, -1.0 / (fuzziness - 1))
        end as raw_weight
    from distances
    window snapshot_axis as (partition by customer_id, snapshot_date, snapshot_type, axis)
),

memberships as (
    select
        customer_id,
        snapshot_date,
        snapshot_type,
        axis,
        segment_id,
        reference_run_id,
        case
            when centres_hit > 0 then case when squared_distance = 0 then 1.0 / centres_hit else 0.0 end
            else raw_weight / sum(raw_weight) over (partition by customer_id, snapshot_date, snapshot_type, axis)
        end as membership
    from weighted
)

select * from memberships
