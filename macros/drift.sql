{#
    The drift maths of the snapshot marts, written once for customer_drift and
    customer_drift_window.

    membership_drift_score(change_column): over a group of per-segment
    membership changes (new minus old, a segment missing on one side counting
    as 0), the euclidean distance / sqrt(2), capped at 1.

    in_severity_band(score, bands): join condition putting a score in its band
    of seeds/drift_severity_bands.csv (lower bound inclusive, upper exclusive,
    empty upper = no limit).
#}
{% macro membership_drift_score(change_column) %}
    least(sqrt(sum(power({{ change_column }}, 2))) / sqrt(2.0), 1.0)
{% endmacro %}

{% macro in_severity_band(score, bands) %}
    {{ score }} >= {{ bands }}.lower_bound
    and ({{ score }} < {{ bands }}.upper_bound or {{ bands }}.upper_bound is null)
{% endmacro %}
