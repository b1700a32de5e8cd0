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
    (int_customer_reference_segment_names, the reference model's names). One
    row per customer, axis, type and snapshot date. The drift maths runs here
    once, in the history's window partitions (no join of one snapshot with
    another; the history joins only the small table of its spaces): the lags
    of drift_steps, then the running counts over its narrow output (the
    membership lists end with the drift score; Spark sorts once for both,
    DuckDB sorts the narrow steps again); the severity bands and the names
    (small tables, hash or broadcast joins) come after. Both passes partition
    by the customer and the number of its series' space (spaces: the few
    distinct axis, type and reference; joined back on the narrow output):
    sorting 73M rows by the three text columns, the 16-character reference
    id among them, cost more than the drift maths.
    customer_drift is its rows with a previous snapshot.
#}
with

spaces as (
    -- the series' spaces: one per axis, snapshot type and reference (a few), numbered
    select
        axis,
        snapshot_type,
        reference_run_id,
        row_number() over (order by axis, snapshot_type, reference_run_id) as space_number
    from (
        select distinct axis, snapshot_type, reference_run_id
        from {{ ref('customer_membership_snapshots') }}
    ) as distinct_spaces
),

snapshots as (
    -- the spaces are a few rows (the hint makes Spark broadcast them before it knows; DuckDB reads a comment)
    select /*+ broadcast(spaces) */
        history.customer_id,
        spaces.space_number,
        history.snapshot_date,
        history.dominant_segment_id,
        history.max_membership,
        history.memberships,
        history.orders_at_snapshot,
        history.usual_gap_days
    from {{ ref('customer_membership_snapshots') }} as history
    inner join spaces
        on history.axis = spaces.axis
        and history.snapshot_type = spaces.snapshot_type
        and history.reference_run_id = spaces.reference_run_id
),

names as (
    select * from {{ ref('int_customer_reference_segment_names') }}
),

band_lists as (
    {{ severity_band_lists(ref('drift_severity_bands')) }}
),

steps as (
    {{ drift_steps('snapshots', ['customer_id', 'space_number']) }}
),

sequenced as (
    -- the running counts, in the same partitions and order as drift_steps; the steps are narrow
    -- (the membership lists ended with the drift score), the severity is read after this
    select
        steps.*,
        row_number() over customer_sequence as snapshot_number,
        sum(case when dominant_segment_id <> previous_dominant_segment_id then 1 else 0 end)
            over customer_sequence as segment_changes_so_far,
        sum(coalesce(drift_score, 0)) over customer_sequence as cumulative_drift
    from steps
    window customer_sequence as (
        partition by customer_id, space_number
        order by snapshot_date
        rows between unbounded preceding and current row
    )
),

indexed as (
    select
        sequenced.*,
        band_lists.severities,
        band_lists.severity_ranks,
        {{ severity_band_index('sequenced.severity_score', 'band_lists') }} as band_index
    from (
        select /*+ broadcast(spaces) */
            drift_steps.*,
            spaces.axis,
            spaces.snapshot_type,
            spaces.reference_run_id,
            drift_steps.drift_score * drift_steps.event_surprise as ageing_adjusted_drift,
            {{ severity_score('spaces.axis', 'drift_steps.drift_score', 'drift_steps.event_surprise') }}
                as severity_score
        from sequenced as drift_steps
        inner join spaces
            on drift_steps.space_number = spaces.space_number
    ) as sequenced
    cross join band_lists
),

timeline as (
    -- names last, joined to the window pass's output: hash joins built on the small names table
    -- (DuckDB; broadcast joins on Spark), no re-partitioning or sort of the steps
    select
        indexed.customer_id,
        indexed.axis,
        indexed.dominant_segment_id,
        indexed.previous_dominant_segment_id,
        indexed.reference_run_id,
        current_names.segment_name as dominant_segment_name,
        previous_names.segment_name as previous_dominant_segment_name,
        indexed.snapshot_type,
        case
            when indexed.previous_snapshot_date is null then 'FIRST_SNAPSHOT'
            else {{ list_element('indexed.severities', 'indexed.band_index') }}
        end as severity,
        indexed.max_membership,
        indexed.drift_score,
        indexed.event_surprise,
        indexed.ageing_adjusted_drift,
        indexed.severity_score,
        indexed.drift_score / nullif(indexed.days_between, 0) as drift_velocity,
        {{ list_element('indexed.severity_ranks', 'indexed.band_index') }} as severity_rank,
        indexed.days_between,
        indexed.snapshot_number,
        indexed.segment_changes_so_far,
        indexed.cumulative_drift,
        coalesce(indexed.dominant_segment_id <> indexed.previous_dominant_segment_id, false) as segment_changed,
        indexed.previous_snapshot_date,
        indexed.snapshot_date
    from indexed
    left join names as current_names
        on {{ is_reference_segment('current_names', 'indexed.reference_run_id', 'indexed.axis',
                                   'indexed.dominant_segment_id') }}
    left join names as previous_names
        on {{ is_reference_segment('previous_names', 'indexed.reference_run_id', 'indexed.axis',
                                   'indexed.previous_dominant_segment_id') }}
),

final as (
    {{ cast_to_contract('timeline') }}
)

select * from final
