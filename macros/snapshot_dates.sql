{#
    snapshot_period_end(snapshot_type, date_expression): the end (last day) of
    the period containing the date, for monthly and weekly snapshots.
#}
{% macro snapshot_period_end(snapshot_type, date_expression) %}
    {%- if snapshot_type == 'monthly' -%}
        cast({{ dbt.last_day(date_expression, 'month') }} as date)
    {%- elif snapshot_type == 'weekly' -%}
        cast({{ dbt.dateadd('day', 6, dbt.date_trunc('week', date_expression)) }} as date)
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var customer_snapshot_type = '" ~ snapshot_type ~ "' is not supported; use monthly or weekly") }}
    {%- endif -%}
{% endmacro %}

{#
    snapshot_period_offset(snapshot_type, periods, date_expression): the date
    `periods` periods (months or weeks) before the given one.
#}
{% macro snapshot_period_offset(snapshot_type, periods, date_expression) %}
    {%- if snapshot_type == 'monthly' -%}
        {{ dbt.dateadd('month', '-(' ~ periods ~ ')', date_expression) }}
    {%- else -%}
        {{ dbt.dateadd('day', '-7 * (' ~ periods ~ ')', date_expression) }}
    {%- endif -%}
{% endmacro %}
