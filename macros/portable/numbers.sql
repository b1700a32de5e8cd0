{#
    Numeric expressions that DuckDB and Spark spell differently.

    is_finite(expression): true for a finite number, false for NaN and
    +-infinity, null for null. DuckDB: isfinite(). Spark has no isfinite:
    not NaN and |x| below infinity (Spark orders NaN above infinity).
#}
{% macro is_finite(expression) %}
    {{ return(adapter.dispatch('is_finite', 'cluster_marts')(expression)) }}
{% endmacro %}

{% macro default__is_finite(expression) -%}
    isfinite({{ expression }})
{%- endmacro %}

{% macro spark__is_finite(expression) -%}
    (not isnan({{ expression }}) and abs({{ expression }}) < cast('Infinity' as double))
{%- endmacro %}


{#
    exact_avg(expression, scale=9): the mean of a column as a double, summed
    exactly as decimal(38, scale), so the result does not depend on the order
    the engine's threads add the values in (a double sum does). Nulls are
    ignored, like avg().
    DuckDB: avg() of the decimals (it divides in extended precision) cast to
    double. Spark: the exact decimal sum cast to double, divided by the count
    in double; Spark's avg() of a decimal would round the quotient to the
    decimal scale.
#}
{% macro exact_avg(expression, scale=9) %}
    {{ return(adapter.dispatch('exact_avg', 'cluster_marts')(expression, scale)) }}
{% endmacro %}

{% macro default__exact_avg(expression, scale) -%}
    cast(avg(cast({{ expression }} as decimal(38, {{ scale }}))) as double)
{%- endmacro %}

{% macro spark__exact_avg(expression, scale) -%}
    {%- set exact = 'cast(' ~ expression ~ ' as decimal(38, ' ~ scale ~ '))' -%}
    cast(sum({{ exact }}) as double) / count({{ exact }})
{%- endmacro %}


{#
    double_text(expression): a double as text, spelled as DuckDB casts it to
    text (the shortest repr: 0.25, 1.0, 0.000123, 2.2e-05), for |x| < 1e7.
    DuckDB: cast to text. Spark: the cast writes 1.23E-4 below 1e-3 (Java's
    Double.toString), so values from 1e-4 to 1e-3 go through a decimal with the
    trailing zeros trimmed, and smaller ones get DuckDB's exponent (no ".0",
    lower-case e, two exponent digits).
#}
{% macro double_text(expression) %}
    {{ return(adapter.dispatch('double_text', 'cluster_marts')(expression)) }}
{% endmacro %}

{% macro default__double_text(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__double_text(expression) -%}
    case
        when {{ expression }} = 0 or abs({{ expression }}) >= 0.001 or isnan({{ expression }})
            then cast({{ expression }} as string)
        when abs({{ expression }}) >= 0.0001
            then regexp_replace(cast(cast({{ expression }} as decimal(38, 20)) as string), '0+$', '')
        else regexp_replace(regexp_replace(regexp_replace(cast({{ expression }} as string),
            '\\.0E', 'E'), 'E-([0-9])$', 'e-0$1'), 'E-', 'e-')
    end
{%- endmacro %}


{#
    approx_quantile(expression, q): an approximate q-quantile of a numeric
    column (0 <= q <= 1, a constant), as an aggregate whose state per group
    is bounded (it keeps no buffer of every value, unlike percentile_cont).
    The result is one of the group's values (no interpolation), null when it
    has no non-null value. q may be a list of numbers: then the result is the
    list of those quantiles, in q's order, from one state (read one with
    list_element(..., position)).
    DuckDB: reservoir_quantile over a uniform sample of at most 65536 values
    (512 KiB per group), the order statistic floor((n - 1) q) of the sample; a
    group of at most 65536 values is kept whole, so there the result is that
    order statistic exactly, beyond it its rank is off by about
    sqrt(q (1 - q) / 65536) of n (0.2 % at the median). DuckDB's
    approx_quantile (a t-digest) is not used: it interpolates between
    centroids and lands far from the quantile on tied values (shares, counts).
    Spark: percentile_approx (Greenwald-Khanna, accuracy 10000: the rank is
    off by at most n / 10000).
    quantile_neighbours / quantile_from_neighbours (macros/quantiles.sql) turn
    such a value into percentile_cont's interpolated quantile, exact when it
    is within one rank of it.
#}
{% macro approx_quantile(expression, q) %}
    {{ return(adapter.dispatch('approx_quantile', 'cluster_marts')(expression, q)) }}
{% endmacro %}

{% macro default__approx_quantile(expression, q) -%}
    reservoir_quantile({{ expression }}, {{ '[' ~ q | join(', ') ~ ']' if q is iterable else q }}, 65536)
{%- endmacro %}

{% macro spark__approx_quantile(expression, q) -%}
    percentile_approx({{ expression }}, {{ 'array(' ~ q | join(', ') ~ ')' if q is iterable else q }})
{%- endmacro %}
