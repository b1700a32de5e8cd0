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
