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
#}
{% macro on_demand_customers() %}
    {%- set given = var('customer_snapshot_customers') -%}
    {%- set given = ([given] if given is string or given is number else given) if given else [] -%}
    {{ return(given | map('string') | map('trim') | reject('equalto', '') | unique | sort | list) }}
{% endmacro %}

{% macro customer_id_rows(ids) %}
    {%- for customer in ids %}
    select '{{ customer | replace("'", "''") }}' as customer_id
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select cast(null as {{ dbt.type_string() }}) as customer_id where false
    {%- endfor %}
{% endmacro %}
