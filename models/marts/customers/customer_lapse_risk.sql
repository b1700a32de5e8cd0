{#
    Lapse risk of every customer at every snapshot of this run: the state
    (lapse_score, its rank) and the change (is_lapsing, with the reason).
    One row per customer, snapshot type and date.

    is_lapsing: an active customer who has broken their own rhythm, i.e. with
    at least var customer_lapse_min_orders (5) orders, silent for at least
    var customer_lapse_min_silence_days (28) days, and for so long that a
    customer ordering at random at their usual pace (usual_gap_days of the
    snapshot features: mean gap between their orders) would stay that silent
    with probability exp(-silence / usual gap) (macro silence_probability)
    below var customer_lapse_silence_probability (0.02): about 3.9 usual gaps.
    A one-time or occasional buyer ageing as expected is not lapsing; a weekly
    buyer silent for 60 days is.
#}
{%- set min_orders = var('customer_lapse_min_orders', 5) | int -%}
{%- set min_silence_days = var('customer_lapse_min_silence_days', 28) | float -%}
{%- set silence_threshold = var('customer_lapse_silence_probability', 0.02) | float -%}
with

scores as (
    select
        customer_id,
        snapshot_type,
        -- a date again (it crosses the Python boundary as a timestamp)
        cast(snapshot_date as date) as snapshot_date,
        lapse_score,
        score_method
    from {{ ref('int_customer_lapse_scores') }}
),

features as (
    select
        customer_id,
        snapshot_type,
        snapshot_date,
        frequency,
        recency_days,
        usual_gap_days
    from {{ ref('int_customer_snapshot_features') }}
),

names as (
    select * from {{ ref('int_customer_reference_segment_names') }}
),

activity_ids as (
    select
        customer_id,
        snapshot_type,
        snapshot_date,
        axis,
        reference_run_id,
        dominant_segment_id,
        previous_dominant_segment_id
    from {{ ref('customer_drift_timeline') }}
    where axis = '{{ var('customer_lapse_drift_axis', 'activity') }}'
),

activity as (
    -- the segments by name (an id where a name is missing), for the reason's words
    select
        activity_ids.*,
        coalesce(current_name.segment_name, cast(activity_ids.dominant_segment_id as {{ dbt.type_string() }}))
            as segment_label,
        coalesce(previous_name.segment_name,
                 cast(activity_ids.previous_dominant_segment_id as {{ dbt.type_string() }})) as previous_segment_label
    from activity_ids
    left join names as current_name
        on {{ is_reference_segment('current_name', 'activity_ids.reference_run_id', 'activity_ids.axis',
                                   'activity_ids.dominant_segment_id') }}
    left join names as previous_name
        on {{ is_reference_segment('previous_name', 'activity_ids.reference_run_id', 'activity_ids.axis',
                                   'activity_ids.previous_dominant_segment_id') }}
),

judged as (
    select
        scores.customer_id,
        scores.snapshot_type,
        scores.snapshot_date,
        scores.lapse_score,
        scores.score_method,
        features.frequency,
        features.recency_days,
        features.usual_gap_days,
        features.recency_days / features.usual_gap_days as silence_ratio,
        {{ silence_probability('features.recency_days', 'features.usual_gap_days') }} as silence_probability,
        activity.dominant_segment_id as activity_segment_id,
        activity.previous_dominant_segment_id as previous_activity_segment_id,
        activity.segment_label,
        activity.previous_segment_label
    from scores
    inner join features
        on
            scores.customer_id = features.customer_id
            and scores.snapshot_type = features.snapshot_type
            and scores.snapshot_date = features.snapshot_date
    left join activity
        on
            scores.customer_id = activity.customer_id
            and scores.snapshot_type = activity.snapshot_type
            and scores.snapshot_date = activity.snapshot_date
),

explained as (
    select
        *,
        coalesce(
            frequency >= {{ min_orders }}
            and recency_days >= {{ min_silence_days }}
            and silence_probability < {{ silence_threshold }},
            false
        ) as is_lapsing,
        row_number() over (
            partition by snapshot_type, snapshot_date order by lapse_score desc, customer_id asc
        ) as lapse_rank,
        cast(cast(round(recency_days) as integer) as {{ dbt.type_string() }}) || ' days silent vs '
        || cast(round(usual_gap_days, 1) as {{ dbt.type_string() }}) || '-day usual gap' as silence_text,
        case
            when previous_activity_segment_id is not null and activity_segment_id <> previous_activity_segment_id
                then '; activity segment ' || previous_segment_label || ' -> ' || segment_label
                    || ' since the previous snapshot'
            else ''
        end as segment_text
    from judged
),

reasoned as (
    select
        customer_id,
        snapshot_type,
        snapshot_date,
        lapse_score,
        lapse_rank,
        frequency,
        recency_days,
        usual_gap_days,
        silence_ratio,
        silence_probability,
        activity_segment_id,
        previous_activity_segment_id,
        score_method,
        case
            when is_lapsing then 'broke their rhythm: ' || silence_text || segment_text
            when frequency = 1 then 'one order so far: no rhythm to break (' || silence_text || ')'
            when frequency < {{ min_orders }}
                then cast(frequency as {{ dbt.type_string() }}) || ' orders: too few to judge a rhythm ('
                    || silence_text || ')'
            when silence_probability < {{ silence_threshold }}
                then 'silent beyond their rhythm for under {{ min_silence_days | int }} days: ' || silence_text
            else 'within their rhythm: ' || silence_text || segment_text
        end as reason,
        is_lapsing
    from explained
),

final as (
    -- lapse_rank: row_number() is a bigint on DuckDB, an int on Spark; the contract says bigint
    {{ cast_to_contract('reasoned') }}
)

select * from final
