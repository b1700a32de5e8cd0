-- depends_on: {{ ref('int_customer_snapshot_features') }}
{#
    Scores every snapshot of this run with the reference model, in SQL, one
    row per customer, axis, snapshot date and type (no row per feature or
    segment): the snapshot's numeric features are packed into one list, the
    reference model into one row per axis (the axis's feature positions in
    that list, the reference scaler, the centres as a list of lists), the
    squared distances to the centres come from list arithmetic (macros
    scaled_axis_values, axis_squared_distances) and the FCM memberships
    u_j = d2_j^(-1/(m-1)) / sum_l d2_l^(-1/(m-1)) from macro fcm_memberships,
    as a list in the reference segments' positions, beside the list of their
    segment ids (segment_ids: ids are kept across builds, positions are the
    fit's canonical order); a snapshot sitting exactly on a centre is one-hot
    on the first such centre. The
    Python twin is cluster_marts.profiling.reference.score_memberships
    (tested against it). Carries the snapshot's context columns so the
    history mart needs no join, among them its snapshot_id and data_version:
    the first 16 hex digits of a hash of the snapshot's input fingerprint (the
    orders it sees, int_customer_snapshot_dates) and the reference model's run
    ids, so two snapshots of the same date hold the same data_version exactly
    when they were computed from the same orders in the same segment space.
    A view: the history mart materialises it.
#}
{{ config(materialized='view') }}
{%- set feature_columns = numeric_columns(ref('int_customer_snapshot_features')) -%}
with

feature_positions as (
    -- position of every numeric snapshot feature in the packed feature list
    {% for column in feature_columns %}
    select '{{ column }}' as feature, {{ loop.index }} as feature_position
    {% if not loop.last %}union all{% endif %}
    {% else %}
    select cast(null as {{ dbt.type_string() }}) as feature, cast(null as integer) as feature_position where false
    {% endfor %}
),

reference as (
    select reference_model.*, feature_positions.feature_position
    from {{ ref('customer_reference_model') }} as reference_model
    inner join feature_positions
        on reference_model.feature = feature_positions.feature
),

axis_scalers as (
    select
        axis,
        {{ ordered_list('feature_position', 'feature_position') }} as feature_positions,
        {{ ordered_list('scaler_center', 'feature_position') }} as scaler_centers,
        {{ ordered_list('scaler_scale', 'feature_position') }} as scaler_scales
    from (select distinct axis, feature_position, scaler_center, scaler_scale from reference) as axis_features
    group by axis
),

segment_centres as (
    select
        axis,
        segment_id,
        position,
        {{ ordered_list('center_scaled', 'feature_position') }} as centre,
        max(fuzziness) as fuzziness,
        max(run_id) as reference_run_id
    from reference
    group by axis, segment_id, position
),

axes as (
    -- one row per axis; centres and their segment ids in position order (positions 0..k-1, tested on the reference)
    select
        axis_scalers.axis,
        axis_scalers.feature_positions,
        axis_scalers.scaler_centers,
        axis_scalers.scaler_scales,
        {{ ordered_list('segment_centres.centre', 'segment_centres.position') }} as centres,
        {{ ordered_list('segment_centres.segment_id', 'segment_centres.position') }} as segment_ids,
        max(segment_centres.fuzziness) as fuzziness,
        max(segment_centres.reference_run_id) as reference_run_id
    from axis_scalers
    inner join segment_centres
        on axis_scalers.axis = segment_centres.axis
    group by axis_scalers.axis, axis_scalers.feature_positions, axis_scalers.scaler_centers, axis_scalers.scaler_scales
),

reference_runs as (
    select {{ sorted_listagg('run_id', "'|'") }} as run_ids
    from (select distinct run_id from {{ ref('customer_reference_model') }}) as runs
),

snapshot_versions as (
    select
        snapshot_dates.snapshot_type,
        snapshot_dates.snapshot_date,
        snapshot_dates.snapshot_id,
        substring({{ dbt.hash(dbt.concat(['snapshot_dates.input_fingerprint', "'|'", 'reference_runs.run_ids'])) }},
                  1, 16) as data_version
    from {{ ref('int_customer_snapshot_dates') }} as snapshot_dates
    cross join reference_runs
    where snapshot_dates.is_in_run
),

snapshots as (
    select
        features.customer_id, features.snapshot_date, features.snapshot_type, features.frequency,
        features.monetary, features.tenure_days, features.usual_gap_days, features.last_ordered_at,
        features.as_of_at, snapshot_versions.snapshot_id, snapshot_versions.data_version,
        {{ double_list(feature_columns) }} as feature_values
    from {{ ref('int_customer_snapshot_features') }} as features
    inner join snapshot_versions
        on features.snapshot_type = snapshot_versions.snapshot_type
        and features.snapshot_date = snapshot_versions.snapshot_date
),

scaled as (
    select
        snapshots.customer_id,
        snapshots.snapshot_date,
        snapshots.snapshot_type,
        snapshots.snapshot_id,
        snapshots.data_version,
        snapshots.frequency,
        snapshots.monetary,
        snapshots.tenure_days,
        snapshots.usual_gap_days,
        snapshots.last_ordered_at,
        snapshots.as_of_at,
        axes.axis,
        axes.reference_run_id,
        axes.fuzziness,
        axes.centres,
        axes.segment_ids,
        {{ scaled_axis_values('snapshots.feature_values', 'axes.feature_positions', 'axes.scaler_centers',
                              'axes.scaler_scales') }} as scaled_values
    from snapshots
    cross join axes
),

distances as (
    select
        customer_id, snapshot_date, snapshot_type, snapshot_id, data_version, frequency, monetary, tenure_days,
        usual_gap_days, last_ordered_at, as_of_at,
        axis, reference_run_id, fuzziness, segment_ids,
        {{ axis_squared_distances('scaled_values', 'centres') }} as squared_distances
    from scaled
),

memberships as (
    {{ fcm_memberships('distances') }}
),

scored as (
    select
        customer_id, snapshot_date, snapshot_type, snapshot_id, data_version, axis, reference_run_id, memberships,
        segment_ids,
        {{ dominant_segment('memberships', 'segment_ids') }} as dominant_segment_id,
        {{ largest_membership('memberships') }} as max_membership,
        frequency, monetary, tenure_days, usual_gap_days, last_ordered_at, as_of_at
    from memberships
)

select * from scored
