{#
    snapshot_period_end(snapshot_type, date_expression): the end (last day) of
    the period containing the date, for monthly and weekly snapshots (weeks
    start on Monday), a date.
    DuckDB: dbt's last_day / date_trunc / dateadd. Spark: its own last_day,
    date_trunc and date_add (dbt's Spark dateadd repeats its argument several
    times to keep the time of day, so nested it grows the plan
    exponentially; dates have no time of day to keep).
#}
{% macro snapshot_period_end(snapshot_type, date_expression) %}
    {%- do snapshot_type_checked(snapshot_type) -%}
    {{ return(adapter.dispatch('snapshot_period_end', 'cluster_marts')(snapshot_type, date_expression)) }}
{% endmacro %}

{% macro default__snapshot_period_end(snapshot_type, date_expression) %}
    {%- if snapshot_type == 'monthly' -%}
        cast({{ dbt.last_day(date_expression, 'month') }} as date)
    {%- else -%}
        cast({{ dbt.dateadd('day', 6, dbt.date_trunc('week', date_expression)) }} as date)
    {%- endif -%}
{% endmacro %}

{% macro spark__snapshot_period_end(snapshot_type, date_expression) %}
    {%- if snapshot_type == 'monthly' -%}
        last_day(cast({{ date_expression }} as date))
    {%- else -%}
        date_add(cast(date_trunc('week', {{ date_expression }}) as date), 6)
    {%- endif -%}
{% endmacro %}

{#
    snapshot_period_offset(snapshot_type, periods, date_expression): the date
    `periods` periods (months or weeks) before the given one (a month back
    from the 31st is the month's last day).
    DuckDB: dbt's dateadd (a timestamp). Spark: add_months / date_add (a date).
#}
{% macro snapshot_period_offset(snapshot_type, periods, date_expression) %}
    {%- do snapshot_type_checked(snapshot_type) -%}
    {{ return(adapter.dispatch('snapshot_period_offset', 'cluster_marts')(snapshot_type, periods, date_expression)) }}
{% endmacro %}

{% macro default__snapshot_period_offset(snapshot_type, periods, date_expression) %}
    {%- if snapshot_type == 'monthly' -%}
        {{ dbt.dateadd('month', '-(' ~ periods ~ ')', date_expression) }}
    {%- else -%}
        {{ dbt.dateadd('day', '-7 * (' ~ periods ~ ')', date_expression) }}
    {%- endif -%}
{% endmacro %}

{% macro spark__snapshot_period_offset(snapshot_type, periods, date_expression) %}
    {%- if snapshot_type == 'monthly' -%}
        add_months(cast({{ date_expression }} as date), cast(-({{ periods }}) as int))
    {%- else -%}
        date_add(cast({{ date_expression }} as date), cast(-7 * ({{ periods }}) as int))
    {%- endif -%}
{% endmacro %}

{# snapshot_type_checked(snapshot_type): stops the build unless the snapshot type is monthly or weekly. #}
{% macro snapshot_type_checked(snapshot_type) %}
    {%- if snapshot_type not in ['monthly', 'weekly'] -%}
        {{ exceptions.raise_compiler_error(
            "var customer_snapshot_type = '" ~ snapshot_type ~ "' is not supported; use monthly or weekly") }}
    {%- endif -%}
{% endmacro %}
