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

    silence_probability(days, usual_gap_days): the probability that a customer
    ordering at random at their usual pace (usual_gap_days, computed once in
    customer_features_from) places no order in `days`: exp(-days / usual gap).
    Written once: event_surprise and customer_lapse_risk read it.

    event_surprise(prefix_now, prefix_before, days_between): how unexpected the
    step between two snapshots was at the customer's usual pace, in [0, 1]:
    with p the silence probability over days_between at the earlier snapshot's
    usual_gap_days, 1 - p when no order came (a one-time buyer ageing as
    expected: near 0; a weekly buyer gone silent: near 1) and p when one did.
    Reads orders_at_snapshot of both sides and usual_gap_days of the earlier
    one (columns or lagged columns named with the prefixes); null when either
    side lacks them.

    severity_score(axis, drift_score, surprise): the score the severity band
    is read from: drift_score * surprise on the axes of var
    customer_drift_ageing_axes (the recency-driven axes, where membership moves
    as a customer merely ages), drift_score on the others.
#}
{% macro membership_drift_score(new_memberships, old_memberships) %}
    {{ return(adapter.dispatch('membership_drift_score', 'cluster_marts')(new_memberships, old_memberships)) }}
{% endmacro %}

{% macro default__membership_drift_score(new_memberships, old_memberships) %}
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

{% macro spark__membership_drift_score(new_memberships, old_memberships) %}
    {#- zip_with pads the shorter list with nulls, counted as 0 -#}
    least(
        sqrt(aggregate(
            zip_with({{ new_memberships }}, {{ old_memberships }},
                     (new_value, old_value) -> power(coalesce(new_value, 0) - coalesce(old_value, 0), 2)),
            cast(0 as double), (total, squared) -> total + squared)) / sqrt(2.0),
        1.0)
{% endmacro %}

{% macro silence_probability(days, usual_gap_days) -%}
    exp(-({{ days }}) / {{ usual_gap_days }})
{%- endmacro %}

{% macro event_surprise(now, before, days_between) %}
{%- set silence = silence_probability(days_between, before ~ 'usual_gap_days') -%}
    case
        when {{ now }}orders_at_snapshot > {{ before }}orders_at_snapshot then {{ silence }}
        else 1 - {{ silence }}
    end
{% endmacro %}

{% macro severity_score(axis, drift_score, surprise) %}
{%- set ageing_axes = var('customer_drift_ageing_axes', ['activity', 'loyalty']) -%}
    {%- if ageing_axes | length > 0 %}
    case
        when {{ axis }} in ({% for a in ageing_axes %}'{{ a }}'{% if not loop.last %}, {% endif %}{% endfor %})
            then {{ drift_score }} * {{ surprise }}
        else {{ drift_score }}
    end
    {%- else %}
    {{ drift_score }}
    {%- endif %}
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
{%- set below = count_at_most(band_lists ~ '.lower_bounds', score) -%}
    case
        when {{ below }} > 0
            and ({{ list_element(band_lists ~ '.upper_bounds', below) }} is null
                 or {{ score }} < {{ list_element(band_lists ~ '.upper_bounds', below) }})
            then {{ below }}
    end
{% endmacro %}

{#
    drift_steps(snapshots, series): over a relation or CTE with one row per
    snapshot (the columns of `series`, snapshot_date, dominant_segment_id,
    max_membership, memberships), every snapshot with the one before it in its
    series (previous_snapshot_date, previous_dominant_segment_id: null for a
    first snapshot), days_between, drift_score and event_surprise (null for a
    first snapshot; the surprise also reads orders_at_snapshot and
    usual_gap_days). `series` names the columns that key a series (one
    customer's snapshots on one axis, of one type, in one reference segment
    space): customer_drift_timeline passes the customer and a number of the
    space, so the window sorts by two narrow keys. One window pass, no join.
#}
{% macro drift_steps(snapshots, series) %}
select
    {%- for column in series %}
    {{ column }},
    {%- endfor %}
    snapshot_date,
    dominant_segment_id,
    max_membership,
    previous_snapshot_date,
    previous_dominant_segment_id,
    case when previous_snapshot_date is not null
        then {{ membership_drift_score('memberships', 'previous_memberships') }}
    end as drift_score,
    {{ event_surprise('', 'previous_', days_between('previous_snapshot_date', 'snapshot_date')) }}
        as event_surprise,
    {{ days_between('previous_snapshot_date', 'snapshot_date') }} as days_between
from (
    select
        {{ series | join(', ') }}, snapshot_date, dominant_segment_id, max_membership, memberships, orders_at_snapshot,
        lag(snapshot_date) over sequence as previous_snapshot_date,
        lag(dominant_segment_id) over sequence as previous_dominant_segment_id,
        lag(memberships) over sequence as previous_memberships,
        lag(orders_at_snapshot) over sequence as previous_orders_at_snapshot,
        lag(usual_gap_days) over sequence as previous_usual_gap_days
    from {{ snapshots }}
    window sequence as (partition by {{ series | join(', ') }} order by snapshot_date)
) as consecutive
{% endmacro %}
