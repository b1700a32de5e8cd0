{#
    The drift maths of the snapshot marts, written once for
    customer_drift_timeline (customer_drift is its rows with a previous
    snapshot) and customer_drift_window. List functions are
    DuckDB syntax, kept in these macros.

    membership_drift_score(new_memberships, old_memberships): between two
    membership lists (position = segment_id + 1), the euclidean distance of
    the two vectors / sqrt(2), capped at 1; a segment missing on one side (a
    shorter list, e.g. a reference that gained segments) counts as 0.

    severity_band_lists(bands): a one-row select of seeds/drift_severity_bands.csv
    as lists ordered by lower bound (severities, severity_ranks, lower_bounds,
    upper_bounds), to cross join; severity_band_index(score, band_lists): the
    position in those lists of the band holding the score (lower bound
    inclusive, upper exclusive, empty upper = no limit; null when no band
    holds it). The bands tile [0, 1] (seed tests in seeds/_seeds.yml),
    so this is the band a range join would find, without sorting every drift
    row for the join.
#}
{% macro membership_drift_score(new_memberships, old_memberships) %}
    least(
        case when len({{ new_memberships }}) = len({{ old_memberships }})
            then list_distance({{ new_memberships }}, {{ old_memberships }})
            else list_distance(
                list_resize({{ new_memberships }}, greatest(len({{ new_memberships }}), len({{ old_memberships }})),
                            cast(0 as double)),
                list_resize({{ old_memberships }}, greatest(len({{ new_memberships }}), len({{ old_memberships }})),
                            cast(0 as double)))
        end / sqrt(2.0),
        1.0)
{% endmacro %}

{% macro severity_band_lists(bands) %}
select
    {{ ordered_list('severity', 'lower_bound') }} as severities,
    {{ ordered_list('severity_rank', 'lower_bound') }} as severity_ranks,
    {{ ordered_list('lower_bound', 'lower_bound') }} as lower_bounds,
    {{ ordered_list('upper_bound', 'lower_bound') }} as upper_bounds
from {{ bands }}
{% endmacro %}

{% macro severity_band_index(score, band_lists) %}
{%- set below = 'len(list_filter(' ~ band_lists ~ '.lower_bounds, lambda bound: bound <= ' ~ score ~ '))' -%}
    case
        when {{ below }} > 0
            and ({{ band_lists }}.upper_bounds[{{ below }}] is null
                 or {{ score }} < {{ band_lists }}.upper_bounds[{{ below }}])
            then {{ below }}
    end
{% endmacro %}

{#
    drift_steps(snapshots): over a relation or CTE with one row per snapshot
    (customer_id, axis, snapshot_type, reference_run_id, snapshot_date,
    dominant_segment_id, max_membership, memberships), every snapshot with the
    one before it of the same customer, axis, type and reference segment space
    (previous_snapshot_date, previous_dominant_segment_id: null for a first
    snapshot), days_between and drift_score (null for a first snapshot). One
    window pass, no join (customer_drift_timeline).
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
