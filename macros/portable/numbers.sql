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
