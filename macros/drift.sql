{#
    The drift maths of the snapshot marts, written once for customer_drift,
    customer_drift_timeline and customer_drift_window.

    membership_drift_score(new_memberships, old_memberships): between two
    membership lists (position = segment_id + 1), the euclidean distance of
    the two vectors / sqrt(2), capped at 1; a segment missing on one side (a
    shorter list) counts as 0. List functions are DuckDB syntax.

    in_severity_band(score, bands): join condition putting a score in its band
    of seeds/drift_severity_bands.csv (lower bound inclusive, upper exclusive,
    empty upper = no limit).
#}
{% macro membership_drift_score(new_memberships, old_memberships) %}
    least(sqrt(list_sum(list_transform(
        range(1, greatest(len({{ new_memberships }}), len({{ old_memberships }})) + 1),
        lambda position: power(coalesce({{ new_memberships }}[position], 0)
                               - coalesce({{ old_memberships }}[position], 0), 2)))) / sqrt(2.0), 1.0)
{% endmacro %}

{% macro in_severity_band(score, bands) %}
    {{ score }} >= {{ bands }}.lower_bound
    and ({{ score }} < {{ bands }}.upper_bound or {{ bands }}.upper_bound is null)
{% endmacro %}

{#
    drift_steps(snapshots): over a relation or CTE with one row per snapshot
    (customer_id, axis, snapshot_type, reference_run_id, snapshot_date,
    dominant_segment_id, max_membership, memberships), every snapshot with the
    one before it of the same customer, axis, type and reference segment space
    (previous_snapshot_date, previous_dominant_segment_id: null for a first
    snapshot), days_between and drift_score (null for a first snapshot). One
    window pass, no join; customer_drift keeps the steps with a previous
    snapshot, customer_drift_timeline all of them.
#}
{% macro drift_steps(snapshots) %}
select
    customer_id,
    axis,
    snapshot_type,
    reference_run_id,
    snapshot_date,
    dominant_segment_id,
    max_membership,
    previous_snapshot_date,
    previous_dominant_segment_id,
    case when previous_snapshot_date is not null
        then {{ membership_drift_score('memberships', 'previous_memberships') }}
    end as drift_score,
    {{ dbt.datediff('previous_snapshot_date', 'snapshot_date', 'day') }} as days_between
from (
    select
        customer_id, axis, snapshot_type, reference_run_id, snapshot_date, dominant_segment_id, max_membership,
        memberships,
        lag(snapshot_date) over sequence as previous_snapshot_date,
        lag(dominant_segment_id) over sequence as previous_dominant_segment_id,
        lag(memberships) over sequence as previous_memberships
    from {{ snapshots }}
    -- drift is only measured within one reference segment space
    window sequence as (partition by customer_id, axis, snapshot_type, reference_run_id order by snapshot_date)
) as consecutive
{% endmacro %}
