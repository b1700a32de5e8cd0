{#
    The scoring of membership snapshots with the reference model, in SQL, as
    CTEs for a model's WITH (int_customer_snapshot_memberships scores the
    snapshot schedule, customer_on_demand_snapshots a list of customers now).

    snapshot_reference_ctes(feature_columns): the CTEs feature_positions,
    reference, axis_scalers, segment_centres, axes (one row per axis: the
    axis's feature positions in the packed feature list, the reference scaler,
    the centres as a list of lists, their segment ids) and reference_runs (the
    reference model's run ids, sorted and joined by '|': a snapshot's
    data_version hashes them). feature_columns: the numeric snapshot features
    in the order of the packed list.

    snapshot_scoring_ctes(snapshots): the CTEs scaled, distances, memberships
    and scored, over a CTE `snapshots` with customer_id, snapshot_date,
    snapshot_type, snapshot_id, data_version, frequency, monetary,
    tenure_days, usual_gap_days, last_ordered_at, as_of_at and feature_values
    (the packed list, macro double_list). `scored` has one row per snapshot
    row and reference axis: the FCM memberships in the reference segments'
    positions, their segment ids, the dominant segment and its membership, and
    the context columns.
#}
{% macro snapshot_reference_ctes(feature_columns) %}
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
)
{% endmacro %}

{#
    snapshot_scoring_columns(features, versions, feature_columns): the select
    list of the `snapshots` CTE snapshot_scoring_ctes reads, from a relation
    of snapshot features (customer_features_from's columns) and one of
    snapshot ids and data versions: the context columns, snapshot_id,
    data_version and the packed feature list.
#}
{% macro snapshot_scoring_columns(features, versions, feature_columns) %}
    {{ features }}.customer_id, {{ features }}.snapshot_date, {{ features }}.snapshot_type,
    {{ features }}.frequency, {{ features }}.monetary, {{ features }}.tenure_days, {{ features }}.usual_gap_days,
    {{ features }}.last_ordered_at, {{ features }}.as_of_at, {{ versions }}.snapshot_id, {{ versions }}.data_version,
    {{ double_list(feature_columns) }} as feature_values
{% endmacro %}

{% macro snapshot_scoring_ctes(snapshots) %}
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
    from {{ snapshots }} as snapshots
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
{% endmacro %}

{#
    snapshot_order_totals(orders): the aggregates a snapshot's inputs are
    fingerprinted on, over rows of stg_customer_orders (one order each):
    orders, amount_cents, items, returned_orders and order_day_numbers (the
    sum of the orders' days since 1970-01-01; their names:
    snapshot_total_names()). They add up across days, so a snapshot's totals
    are the sums of its days'.
    snapshot_input_fingerprint(totals): md5 of those five totals of a
    relation (whole numbers, so the text hashed is the same on every engine):
    another order, amount, item count, return or order day before the
    snapshot changes it.
    snapshot_data_version(input_fingerprint, run_ids): a snapshot's
    data_version, the first 16 hex digits of md5('<input_fingerprint>|<the
    reference model's run ids>').
#}
{% macro snapshot_order_totals(orders) %}
    count(*) as orders,
    coalesce(sum(cast(round({{ orders }}.amount * 100, 0) as bigint)), 0) as amount_cents,
    coalesce(sum(cast({{ orders }}.item_count as bigint)), 0) as items,
    coalesce(sum(case when {{ orders }}.is_returned then 1 else 0 end), 0) as returned_orders,
    coalesce(sum(cast({{ dbt.datediff("cast('1970-01-01' as date)", "cast(" ~ orders ~ ".ordered_at as date)", 'day') }}
                      as bigint)), 0) as order_day_numbers
{% endmacro %}

{% macro snapshot_total_names() %}
    {{ return(['orders', 'amount_cents', 'items', 'returned_orders', 'order_day_numbers']) }}
{% endmacro %}

{% macro snapshot_input_fingerprint(totals) %}
    {%- set parts = [] -%}
    {%- for column in snapshot_total_names() -%}
        {%- do parts.extend(["'" ~ column ~ ":'", "cast(" ~ totals ~ "." ~ column ~ " as " ~ dbt.type_string() ~ ")",
                             "'|'"]) -%}
    {%- endfor -%}
    {{- dbt.hash(dbt.concat(parts[:-1])) -}}
{% endmacro %}

{% macro snapshot_data_version(input_fingerprint, run_ids) %}
    {{- 'substring(' ~ dbt.hash(dbt.concat([input_fingerprint, "'|'", run_ids])) ~ ', 1, 16)' -}}
{% endmacro %}

{#
    snapshot_history_rows(scored): a select of the rows of the snapshot history
    (customer_membership_snapshots, customer_on_demand_snapshots) from the CTE
    `scored` of snapshot_scoring_ctes: the context renamed (orders and value at
    the snapshot, days since the first order, tenure in months) and taken_at,
    the moment this warehouse computed it.
#}
{% macro snapshot_history_rows(scored) %}
    select
        customer_id,
        axis,
        dominant_segment_id,
        reference_run_id,
        snapshot_type,
        memberships,
        segment_ids,
        max_membership,
        frequency as orders_at_snapshot,
        monetary as value_at_snapshot,
        tenure_days as days_since_first_order,
        tenure_days / 30.44 as tenure_months,
        usual_gap_days,
        snapshot_date,
        last_ordered_at,
        as_of_at as snapshot_at,
        current_timestamp as taken_at,
        snapshot_id,
        data_version
    from {{ scored }}
{% endmacro %}
