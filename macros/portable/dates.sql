{#
    Date and time parts that DuckDB and Spark spell differently. dbt's own
    cross-database macros (dbt.dateadd, dbt.date_trunc, dbt.last_day) cover the
    rest; dbt.datediff does not fit the hour count below on Spark (it rounds
    the elapsed time up and fails on a null).

    hours_between(start, end): whole hour boundaries crossed from start to end
    (10:59 -> 11:01 is 1), a bigint; null when either is null.
    DuckDB: date_diff('hour', ...) (dbt.datediff). Spark: the difference of
    the epoch microseconds divided (truncated, as DuckDB does) by an hour.
#}
{% macro hours_between(start, end) %}
    {{ return(adapter.dispatch('hours_between', 'cluster_marts')(start, end)) }}
{% endmacro %}

{% macro default__hours_between(start, end) -%}
    {{ dbt.datediff(start, end, 'hour') }}
{%- endmacro %}

{% macro spark__hours_between(start, end) -%}
    (unix_micros({{ end }}) div 3600000000 - unix_micros({{ start }}) div 3600000000)
{%- endmacro %}


{#
    iso_weekday(expression): ISO day of the week, Monday 1 to Sunday 7.
    DuckDB: extract(isodow ...). Spark: extract(dayofweek_iso ...).
#}
{% macro iso_weekday(expression) %}
    {{ return(adapter.dispatch('iso_weekday', 'cluster_marts')(expression)) }}
{% endmacro %}

{% macro default__iso_weekday(expression) -%}
    extract(isodow from {{ expression }})
{%- endmacro %}

{% macro spark__iso_weekday(expression) -%}
    extract(dayofweek_iso from {{ expression }})
{%- endmacro %}


{#
    seconds_between(start, end): whole second boundaries crossed from start to
    end, a bigint; null when either is null.
    DuckDB: date_diff('second', ...) (dbt.datediff). Spark: the difference of
    the epoch microseconds divided (truncated) by a second; dbt-spark's
    datediff rounds the elapsed time up instead.

    days_between(start, end): days from the date start to the date end (end -
    start), null when either is null.
    DuckDB: date_diff('day', ...) (dbt.datediff). Spark: datediff(end, start).
#}
{% macro seconds_between(start, end) %}
    {{ return(adapter.dispatch('seconds_between', 'cluster_marts')(start, end)) }}
{% endmacro %}

{% macro default__seconds_between(start, end) -%}
    {{ dbt.datediff(start, end, 'second') }}
{%- endmacro %}

{% macro spark__seconds_between(start, end) -%}
    (unix_micros({{ end }}) div 1000000 - unix_micros({{ start }}) div 1000000)
{%- endmacro %}

{% macro days_between(start, end) %}
    {{ return(adapter.dispatch('days_between', 'cluster_marts')(start, end)) }}
{% endmacro %}

{% macro default__days_between(start, end) -%}
    {{ dbt.datediff(start, end, 'day') }}
{%- endmacro %}

{% macro spark__days_between(start, end) -%}
    datediff({{ end }}, {{ start }})
{%- endmacro %}
