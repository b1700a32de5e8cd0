{#
    Quantiles as percentile_cont computes them (linear interpolation between
    the order statistics floor(r) and floor(r) + 1 of a group's n non-null
    values, r = (n - 1) q, ranks from 0), in two streaming passes, without a
    buffer of every value per group:

    1. per group: n = count(value) and a candidate
       c = approx_quantile(value, q) (macros/portable/numbers.sql: one of
       the group's values, near the quantile);
    2. per group again, c joined to each of its rows:
       quantile_neighbours(value, c, prefix), four aggregates that place c
       exactly: <prefix>_below values are below c, <prefix>_through at most c,
       <prefix>_previous is the largest value below c and <prefix>_next the
       smallest above it. So the order statistics of ranks below - 1 to
       through are known: previous, c (from below to through - 1), next.

    quantile_from_neighbours(prefix, candidate, n, q) reads the two order
    statistics the quantile interpolates from those. It is exact when both
    ranks are among the known ones, i.e. when c lies within one rank of the
    quantile (every group that approx_quantile keeps whole), else it is the
    value next to c on the quantile's side (off by the approximation's rank
    error). Null for a group with no value.
#}
{% macro quantile_neighbours(value, candidate, prefix) -%}
    sum(case when {{ value }} < {{ candidate }} then 1 else 0 end) as {{ prefix }}_below,
        sum(case when {{ value }} <= {{ candidate }} then 1 else 0 end) as {{ prefix }}_through,
        max(case when {{ value }} < {{ candidate }} then {{ value }} end) as {{ prefix }}_previous,
        min(case when {{ value }} > {{ candidate }} then {{ value }} end) as {{ prefix }}_next
{%- endmacro %}

{% macro quantile_from_neighbours(prefix, candidate, n, q) -%}
    {%- set rank = '(' ~ n ~ ' - 1) * cast(' ~ q ~ ' as double)' -%}
    {%- set low = 'floor(' ~ rank ~ ')' -%}
    case
            when {{ rank }} = {{ low }} then {{ _order_statistic(prefix, candidate, low) }}
            else {{ _order_statistic(prefix, candidate, low) }} + ({{ rank }} - {{ low }})
                * ({{ _order_statistic(prefix, candidate, low ~ ' + 1') }}
                    - {{ _order_statistic(prefix, candidate, low) }})
        end
{%- endmacro %}

{# the order statistic of a rank (an expression) known from the neighbours of the candidate #}
{% macro _order_statistic(prefix, candidate, rank) -%}
    (case
        when {{ rank }} < {{ prefix }}_below then {{ prefix }}_previous
        when {{ rank }} < {{ prefix }}_through then {{ candidate }}
        else {{ prefix }}_next
    end)
{%- endmacro %}
