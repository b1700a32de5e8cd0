{#
    The snapshot types this build takes (var customer_snapshot_type: one type,
    or a list of them, e.g. [monthly, weekly]) and how many periods of each
    (var customer_snapshot_periods: one number for every type, or a mapping
    {type: number}, e.g. {monthly: 12, weekly: 8}).

    snapshot_types(): the types, in the order given, checked (each one of the
    five, none twice, at least one). The first is the primary type: the
    reference date is chosen among its dates, and customer_profile reads its
    latest lapse score.
    primary_snapshot_type(): the first of them.
    snapshot_periods_of(snapshot_type): the number of periods of that type.
#}
{% macro snapshot_types() %}
    {%- set given = var('customer_snapshot_type') -%}
    {%- set types = [given] if given is string else (given or []) | list -%}
    {%- if types | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "var customer_snapshot_type is empty; give a snapshot type or a list of them, e.g. monthly or "
            ~ "[monthly, weekly]") }}
    {%- endif -%}
    {%- for snapshot_type in types -%}
        {%- do snapshot_type_checked(snapshot_type) -%}
        {%- if snapshot_type in types[:loop.index0] -%}
            {{ exceptions.raise_compiler_error(
                "var customer_snapshot_type lists '" ~ snapshot_type ~ "' twice; list each type once") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(types) }}
{% endmacro %}

{% macro primary_snapshot_type() %}
    {{ return(snapshot_types()[0]) }}
{% endmacro %}

{% macro snapshot_periods_of(snapshot_type) %}
    {%- set periods = var('customer_snapshot_periods') -%}
    {%- if periods is mapping -%}
        {%- if snapshot_type not in periods -%}
            {{ exceptions.raise_compiler_error(
                "var customer_snapshot_periods has no number of periods for the snapshot type '" ~ snapshot_type
                ~ "'; add it, e.g. {" ~ snapshot_type ~ ": 12}, or give one number for every type") }}
        {%- endif -%}
        {%- set periods = periods[snapshot_type] -%}
    {%- endif -%}
    {%- if periods is not number or periods < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var customer_snapshot_periods gives " ~ periods ~ " periods for the snapshot type '" ~ snapshot_type
            ~ "'; give a whole number of at least 1") }}
    {%- endif -%}
    {{ return(periods | int) }}
{% endmacro %}

{#
    on_demand_customers(): the customer ids of var customer_snapshot_customers
    (one id or a list; numbers are read as text), each once, sorted: the
    customers customer_on_demand_snapshots snapshots now. [] when unset.
    customer_id_rows(ids): a select of one row per id (column customer_id),
    no row for an empty list.
    on_demand_snapshot_id(as_of_at, ids): the id of the on-demand snapshot of
    these customers taken at that moment: 'on_demand-<day before as_of_at>-<8
    hex digits of md5 of the ids as a JSON list>'. With several shops an id
    is '<store_id>|<customer id>', as in customer_features.
#}
{% macro on_demand_customers() %}
    {%- set given = var('customer_snapshot_customers') -%}
    {%- set given = ([given] if given is string or given is number else given) if given else [] -%}
    {{ return(given | map('string') | map('trim') | reject('equalto', '') | unique | sort | list) }}
{% endmacro %}

{% macro customer_id_rows(ids) %}
    {%- for customer in ids %}
    select {{ dbt.string_literal(dbt.escape_single_quotes(customer)) }} as customer_id
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select cast(null as {{ dbt.type_string() }}) as customer_id where false
    {%- endfor %}
{% endmacro %}

{#
    requested_snapshots(): the snapshots var customer_snapshot_dates asks this
    run to (re)compute, as [(type, date text)]: each requested date for every
    listed type whose period ends on it (any date for daily; a Sunday for
    weekly; a month, quarter or year end). A date that ends no listed type's
    period stops the build, naming the date and the types.
#}
{% macro requested_snapshots() %}
    {%- set given = var('customer_snapshot_dates') -%}
    {#- one date (a YAML date is not a string), or a list; each date once -#}
    {%- set given = ([given] if given is string or given is not iterable else given) if given else [] -%}
    {%- set given = given | map('string') | unique | list -%}
    {%- set types = snapshot_types() -%}
    {%- set taken = [] -%}
    {%- for text in given -%}
        {%- set day = modules.datetime.date.fromisoformat(text | string) -%}
        {%- set before = taken | length -%}
        {%- for snapshot_type in types if snapshot_period_ends_on(snapshot_type, day) -%}
            {%- do taken.append((snapshot_type, day.isoformat())) -%}
        {%- endfor -%}
        {%- if taken | length == before -%}
            {{ exceptions.raise_compiler_error(
                "var customer_snapshot_dates: " ~ day.isoformat() ~ " ends no period of the snapshot types "
                ~ types | join(', ') ~ " (weeks end on Sunday; months, quarters and years on their last day); "
                ~ "give a period end") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(taken) }}
{% endmacro %}

{% macro on_demand_snapshot_id(as_of_at, ids) %}
    {%- set day = "cast(cast(" ~ dbt.dateadd('day', -1, as_of_at) ~ " as date) as " ~ dbt.type_string() ~ ")" -%}
    {%- set listed = dbt.string_literal(dbt.escape_single_quotes(ids | tojson)) -%}
    {{- dbt.concat(["'on_demand-'", day, "'-'", "substring(" ~ dbt.hash(listed) ~ ", 1, 8)"]) -}}
{% endmacro %}

{#
    snapshot_id(snapshot_type, snapshot_date): the id of a scheduled snapshot,
    '<type>-<date>' (e.g. monthly-2026-10-31), from SQL expressions.
#}
{% macro snapshot_id(snapshot_type, snapshot_date) %}
    {{- dbt.concat([snapshot_type, "'-'", "cast(" ~ snapshot_date ~ " as " ~ dbt.type_string() ~ ")"]) -}}
{% endmacro %}

{#
    snapshot_period_ends_on(snapshot_type, day): whether a period of the type
    ends on the date (a Python date), by the lengths of snapshot_periods(), as
    snapshot_period_end computes them in SQL: every day, a Sunday (weeks start
    on Monday), or the last day of a month whose number the period's length in
    months divides (month, quarter, year).
#}
{% macro snapshot_period_ends_on(snapshot_type, day) %}
    {%- set period = snapshot_periods()[snapshot_type] -%}
    {%- if period.step == 'day' -%}
        {{ return(period.length == 1 or day.weekday() == 6) }}
    {%- endif -%}
    {%- set next_day = day + modules.datetime.timedelta(days=1) -%}
    {{ return(next_day.day == 1 and day.month % period.length == 0) }}
{% endmacro %}
