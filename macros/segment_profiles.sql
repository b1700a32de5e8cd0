{#
    Pieces of customer_segment_profiles' passes, which read every fit at once
    with the features of each fit in numbered slots (slot n: the fit's n-th
    feature), so a pass is one aggregate with one column per slot, whatever
    the number of fits.

    slot_members(fits): a subquery of the members of every segment
    (customer_segments), each under its top-level segment (segment_path =
    segment_id, is_top_level true) and again under its subsegment when it has
    one (depth > 0, is_top_level false), with its fit's feature values
    (customer_features) in columns value_1, value_2, ... (one per slot).

    slot_value(fits, slot, alias): the value (a double) of the row's fit's
    feature in that slot, from the customer_features columns joined as
    `features`; `alias` is the relation holding the row's axis and method;
    null past the fit's last feature. fits: customer_fitted_features().

    slot_features(fits): a subquery of one row per fit and slot: axis, method,
    slot, feature; to turn the slot columns of an aggregated row into rows.

    slot_statistic(alias, statistic, slots): on such a row (joined as
    `slots`), the aggregated column value_<slot>__<statistic> of `alias` for
    the row's slot.
#}
{% macro slot_members(fits) -%}
    {%- set slots = range(1, (fits | map(attribute='features') | map('length') | max) + 1) -%}
    (
        select
            members.*
            {%- for slot in slots %},
            {{ slot_value(fits, slot, 'members') }} as value_{{ slot }}
            {%- endfor %}
        from {{ _segment_members() }} as members
        inner join {{ ref('customer_features') }} as features
            on members.customer_id = features.customer_id
    )
{%- endmacro %}

{% macro _segment_members() -%}
    (
        select
            axis, method, segment_id, cast(segment_id as {{ dbt.type_string() }}) as segment_path,
            true as is_top_level, customer_id, max_membership, distance_to_centroid
        from {{ ref('customer_segments') }}
        union all
        select
            axis, method, segment_id, segment_path,
            false as is_top_level, customer_id, max_membership, distance_to_centroid
        from {{ ref('customer_segments') }}
        where depth > 0
    )
{%- endmacro %}

{% macro slot_value(fits, slot, alias) -%}
    {#- column -> axis -> methods whose fit has that column in this slot -#}
    {%- set columns = {} -%}
    {%- for fit in fits if fit.features | length >= slot -%}
        {%- set column = fit.features[slot - 1] -%}
        {%- do columns.setdefault(column, {}).setdefault(fit.axis, []).append(fit.method) -%}
    {%- endfor -%}
    case
        {%- for column, axes in columns.items() %}
            when {% for axis, methods in axes.items() -%}
                {{ ' or ' if not loop.first }}({{ alias }}.axis = {{ _literal(axis) }} and {{ alias }}.method in (
                {%- for method in methods %}{{ _literal(method) }}{{ ', ' if not loop.last }}{% endfor %}))
            {%- endfor %} then cast(features.{{ column }} as double)
        {%- endfor %}
        end
{%- endmacro %}

{% macro slot_features(fits) -%}
    (
        {%- for fit in fits %}{% set fit_loop = loop %}{% for column in fit.features %}
        select {{ _literal(fit.axis) }} as axis, {{ _literal(fit.method) }} as method, {{ loop.index }} as slot,
            '{{ column }}' as feature{{ ' union all' if not (fit_loop.last and loop.last) }}
        {%- endfor %}{% endfor %}
    )
{%- endmacro %}

{% macro slot_statistic(alias, statistic, slots) -%}
    case slots.slot
        {%- for slot in slots %}
        when {{ slot }} then {{ alias }}.value_{{ slot }}__{{ statistic }}
        {%- endfor %}
    end
{%- endmacro %}

{% macro _literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}
