-- depends_on: {{ ref('int_customer_snapshot_features') }}
{#
    Scores every snapshot of this run with the reference model, in SQL: each
    feature is scaled with the reference scaler, the squared distance to every
    reference centre is summed over the axis's features, and the FCM
    membership is u_j = d2_j^(-1/(m-1)) / sum_l d2_l^(-1/(m-1)) (macro
    fcm_memberships); a snapshot sitting exactly on a centre is one-hot on the
    first such centre. The Python twin is
    cluster_marts.profiling.reference.score_memberships (tested against it).
    One row per customer, axis, snapshot date and type, and segment.
#}
{%- set feature_columns = numeric_columns(ref('int_customer_snapshot_features')) -%}
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

memberships as (
    {{ fcm_memberships('distances', ['customer_id', 'snapshot_date', 'snapshot_type', 'axis']) }}
),

scored as (
    select customer_id, snapshot_date, snapshot_type, axis, segment_id, reference_run_id, membership
    from memberships
)

select * from scored
