{#
    The snapshot types (var customer_snapshot_type), each with the retention
    var customer_snapshot_retention_days gives it: daily, weekly (weeks start on
    Monday), monthly, quarterly and yearly. A snapshot is taken at the end of
    its period.

    snapshot_period_end(snapshot_type, date_expression): the end (last day) of
    the period containing the date, a date.
    DuckDB: dbt's last_day / date_trunc / dateadd. Spark: its own last_day,
    date_trunc, add_months and date_add (dbt's Spark dateadd repeats its
    argument several times to keep the time of day, so nested it grows the plan
    exponentially; dates have no time of day to keep).
#}
{% macro snapshot_period_end(snapshot_type, date_expression) %}
    {%- do snapshot_type_checked(snapshot_type) -%}
    {{ return(adapter.dispatch('snapshot_period_end', 'cluster_marts')(snapshot_type, date_expression)) }}
{% endmacro %}

{% macro default__snapshot_period_end(snapshot_type, date_expression) %}
    {%- if snapshot_type == 'daily' -%}
        cast({{ date_expression }} as date)
    {%- elif snapshot_type == 'weekly' -%}
        cast({{ dbt.dateadd('day', 6, dbt.date_trunc('week', date_expression)) }} as date)
    {%- elif snapshot_type == 'monthly' -%}
        cast({{ dbt.last_day(date_expression, 'month') }} as date)
    {%- else -%}
        {%- set period = snapshot_periods()[snapshot_type] -%}
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', period.length,
            dbt.date_trunc(period.unit, date_expression))) }} as date)
    {%- endif -%}
{% endmacro %}

{% macro spark__snapshot_period_end(snapshot_type, date_expression) %}
    {%- if snapshot_type == 'daily' -%}
        cast({{ date_expression }} as date)
    {%- elif snapshot_type == 'weekly' -%}
        date_add(cast(date_trunc('week', {{ date_expression }}) as date), 6)
    {%- elif snapshot_type == 'monthly' -%}
        last_day(cast({{ date_expression }} as date))
    {%- else -%}
        {%- set period = snapshot_periods()[snapshot_type] -%}
        date_add(add_months(cast(date_trunc('{{ period.unit }}', {{ date_expression }}) as date),
                            {{ period.length }}), -1)
    {%- endif -%}
{% endmacro %}

{#
    snapshot_period_offset(snapshot_type, periods, date_expression): the date
    `periods` periods (days, weeks, months, quarters or years) before the given
    one (a month back from the 31st is the month's last day).
    DuckDB: dbt's dateadd (a timestamp). Spark: add_months / date_add (a date).
#}
{% macro snapshot_period_offset(snapshot_type, periods, date_expression) %}
    {%- do snapshot_type_checked(snapshot_type) -%}
    {{ return(adapter.dispatch('snapshot_period_offset', 'cluster_marts')(snapshot_type, periods, date_expression)) }}
{% endmacro %}

{% macro default__snapshot_period_offset(snapshot_type, periods, date_expression) %}
    {%- set period = snapshot_periods()[snapshot_type] -%}
    {{ dbt.dateadd(period.step, '-' ~ period.length ~ ' * (' ~ periods ~ ')', date_expression) }}
{% endmacro %}

{% macro spark__snapshot_period_offset(snapshot_type, periods, date_expression) %}
    {%- set period = snapshot_periods()[snapshot_type] -%}
    {{ 'date_add' if period.step == 'day' else 'add_months' }}(cast({{ date_expression }} as date),
        cast(-{{ period.length }} * ({{ periods }}) as int))
{% endmacro %}

{#
    snapshot_periods(): the snapshot types in order, each with the step its
    length is counted in (days or months), its length in steps, and the unit
    that truncates a date to the period's start.
#}
{% macro snapshot_periods() %}
    {{ return({
        'daily': {'step': 'day', 'length': 1, 'unit': 'day'},
        'weekly': {'step': 'day', 'length': 7, 'unit': 'week'},
        'monthly': {'step': 'month', 'length': 1, 'unit': 'month'},
        'quarterly': {'step': 'month', 'length': 3, 'unit': 'quarter'},
        'yearly': {'step': 'month', 'length': 12, 'unit': 'year'},
    }) }}
{% endmacro %}

{# snapshot_type_checked(snapshot_type): stops the build unless the snapshot type is one of the five. #}
{% macro snapshot_type_checked(snapshot_type) %}
    {%- set types = snapshot_periods() | list -%}
    {%- if snapshot_type not in types -%}
        {{ exceptions.raise_compiler_error(
            "var customer_snapshot_type: '" ~ snapshot_type ~ "' is not a snapshot type; use one of "
            ~ types | join(', ')) }}
    {%- endif -%}
{% endmacro %}
