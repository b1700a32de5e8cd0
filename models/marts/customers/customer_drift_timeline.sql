{#
    Per-customer timeline within one reference segment space (reference_run_id;
    a new reference starts a new timeline at FIRST_SNAPSHOT): every snapshot of
    a customer on an axis, in order, with its dominant segment, the previous
    snapshot (date, dominant segment, days between), the drift since then
    (drift_score = euclidean distance between the two membership lists, a
    reference segment missing on one side counting as 0, / sqrt(2), capped at
    1: macros drift_steps, membership_drift_score), its velocity (drift per
    day), how unexpected the step was at the customer's usual pace
    (event_surprise: macro event_surprise), ageing_adjusted_drift =
    drift_score * event_surprise, and the severity (seeds/drift_severity_bands.csv:
    STABLE < 0.1 <= MINOR < 0.3 <= MODERATE < 0.5 <= SIGNIFICANT < 0.7 <= MAJOR
    by default) of severity_score: the adjusted drift on the recency-driven axes
    of var customer_drift_ageing_axes (activity, loyalty), where memberships
    move as a customer merely ages, the drift score on the others; whether
    the segment changed, the running count of segment changes and the
    cumulative drift. Both dominant segments carry their names
    (int_customer_reference_segment_names, the reference model's names). One row per customer, axis, type and snapshot date. The
    drift maths runs here once, in one window pass over the history (no join);
    customer_drift is its rows with a previous snapshot.
#}
with

snapshots as (
    select * from {{ ref('customer_membership_snapshots') }}
),

names as (
    select * from {{ ref('int_customer_reference_segment_names') }}
),

band_lists as (
    {{ severity_band_lists(ref('drift_severity_bands')) }}
),

steps as (
    {{ drift_steps('snapshots') }}
),

indexed as (
    select
        steps.*,
        band_lists.severities,
        band_lists.severity_ranks,
        {{ severity_band_index('steps.severity_score', 'band_lists') }} as band_index
    from (
        select
            drift_steps.*,
            drift_steps.drift_score * drift_steps.event_surprise as ageing_adjusted_drift,
            {{ severity_score('drift_steps.axis', 'drift_steps.drift_score', 'drift_steps.event_surprise') }}
                as severity_score
        from steps as drift_steps
    ) as steps
    cross join band_lists
),

banded as (
    select
        indexed.*,
        {{ list_element('indexed.severities', 'indexed.band_index') }} as severity,
        {{ list_element('indexed.severity_ranks', 'indexed.band_index') }} as severity_rank,
        indexed.dominant_segment_id <> indexed.previous_dominant_segment_id as segment_changed,
        indexed.drift_score / nullif(indexed.days_between, 0) as drift_velocity
    from indexed
),

sequenced as (
    select
        customer_id,
        axis,
        dominant_segment_id,
        previous_dominant_segment_id,
        reference_run_id,
        snapshot_type,
        case when previous_snapshot_date is null then 'FIRST_SNAPSHOT' else severity end as severity,
        max_membership,
        drift_score,
        event_surprise,
        ageing_adjusted_drift,
        severity_score,
        drift_velocity,
        severity_rank,
        days_between,
        row_number() over customer_sequence as snapshot_number,
        sum(case when segment_changed then 1 else 0 end) over customer_sequence as segment_changes_so_far,
        sum(coalesce(drift_score, 0)) over customer_sequence as cumulative_drift,
        coalesce(segment_changed, false) as segment_changed,
        previous_snapshot_date,
        snapshot_date
    from banded
    window customer_sequence as (
        partition by customer_id, axis, snapshot_type, reference_run_id
        order by snapshot_date
        rows between unbounded preceding and current row
    )
),

timeline as (
    select
        sequenced.customer_id,
        sequenced.axis,
        sequenced.dominant_segment_id,
        sequenced.previous_dominant_segment_id,
        sequenced.reference_run_id,
        current_names.segment_name as dominant_segment_name,
        previous_names.segment_name as previous_dominant_segment_name,
        sequenced.snapshot_type,
        sequenced.severity,
        sequenced.max_membership,
        sequenced.drift_score,
        sequenced.event_surprise,
        sequenced.ageing_adjusted_drift,
        sequenced.severity_score,
        sequenced.drift_velocity,
        sequenced.severity_rank,
        sequenced.days_between,
        sequenced.snapshot_number,
        sequenced.segment_changes_so_far,
        sequenced.cumulative_drift,
        sequenced.segment_changed,
        sequenced.previous_snapshot_date,
        sequenced.snapshot_date
    from sequenced
    left join names as current_names
        on {{ is_reference_segment('current_names', 'sequenced.reference_run_id', 'sequenced.axis',
                                   'sequenced.dominant_segment_id') }}
    left join names as previous_names
        on {{ is_reference_segment('previous_names', 'sequenced.reference_run_id', 'sequenced.axis',
                                   'sequenced.previous_dominant_segment_id') }}
),

final as (
    {{ cast_to_contract('timeline') }}
)

select * from final
