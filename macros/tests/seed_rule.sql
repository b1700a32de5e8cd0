{#
    Generic test (model level), for the analyst-edited seeds: every row must
    satisfy `rule`, a boolean SQL expression. When rows break it, the test
    fails with a message that names the seed, each offending row and the rule
    in words, e.g.

        seed dfu_label_thresholds, row threshold_name = cv_steady (0.9): cv_steady must be below cv_volatile (0.5)

        data_tests:
          - cluster_marts.seed_rule:
              name: dfu_label_thresholds_cv_steady_below_cv_volatile
              arguments:
                columns:
                  cv_volatile: "max(case when threshold_name = 'cv_volatile' then threshold_value end) over ()"
                rule: "threshold_name <> 'cv_steady' or threshold_value < cv_volatile"
                row: "threshold_name = {threshold_name} ({threshold_value})"
                describe: "cv_steady must be below cv_volatile ({cv_volatile})"

    Arguments:
    - rule: must hold on every row. A NULL result holds (an empty optional
      value such as a missing bound is not a breach): a rule that must see a
      value says so itself (`coalesce(..., false)`, `... is not null`).
    - describe: the rule in words; row: how a row is named. Both may quote
      `{column}`, replaced by the row's value (`empty` for NULL).
    - columns: optional {name: SQL expression} added to every row before the
      rule is checked, so a rule can compare rows: window functions over the
      whole seed (`lead(lower_bound) over (order by lower_bound)`, another
      row's value with `max(case ...) over ()`).
    - order_by: optional SQL ordering the listed rows (e.g. `lower_bound`).
    - max_rows: at most this many offending rows are listed (default 20).

    How it fails: at execution (`dbt build`, `dbt test`) it queries the rows
    breaking the rule and, if there are any, raises a compilation error
    carrying the message (dbt prints it and skips the seed's children). The
    test's SQL is that same query, so with no offending row it returns nothing
    and passes; `dbt compile` / `dbt docs generate` only render it.
#}
{% test seed_rule(model, rule, describe, row, columns=none, order_by=none, max_rows=20) %}
    {%- set offending = cluster_marts.seed_rule_offending_rows(model, rule, columns or {}, order_by) -%}
    {%- if execute and flags.WHICH not in ['compile', 'docs', 'show', 'list', 'ls'] -%}
        {%- set found = run_query(offending) -%}
        {%- if found.rows | length > 0 -%}
            {{ exceptions.raise_compiler_error(cluster_marts.seed_rule_message(model, found, describe, row, max_rows)) }}
        {%- endif -%}
    {%- endif -%}
    {{ offending }}
{% endtest %}

{#
    seed_rule_offending_rows(model, rule, columns, order_by): the query of the
    rows breaking the rule, with the added columns.
#}
{% macro seed_rule_offending_rows(model, rule, columns, order_by) %}
with

seed_rows as (
    select
        {%- for name, expression in columns.items() %}
        {{ expression }} as {{ name }},
        {%- endfor %}
        *
    from {{ model }}
)

select * from seed_rows
where not coalesce(({{ rule }}), true)
{%- if order_by %}
order by {{ order_by }}
{%- endif %}
{% endmacro %}

{#
    seed_rule_message(model, found, describe, row, max_rows): the message of a
    failing seed_rule, one line per offending row (at most max_rows, then how
    many more), and where to fix it. Values are shown as run_query hands them
    over: doubles as decimals of their shortest repr (0.9, not
    0.90000000000000002), NULL as `empty`.
#}
{% macro seed_rule_message(model, found, describe, row, max_rows) %}
    {%- set target = cluster_marts.seed_rule_target(model) -%}
    {%- set lines = [] -%}
    {%- for values in found.rows[:max_rows] -%}
        {%- set ns = namespace(row=row, rule=describe) -%}
        {%- for column in found.column_names -%}
            {%- set value = 'empty' if values[column] is none else values[column] | string -%}
            {%- set ns.row = ns.row | replace('{' ~ column ~ '}', value) -%}
            {%- set ns.rule = ns.rule | replace('{' ~ column ~ '}', value) -%}
        {%- endfor -%}
        {%- do lines.append(target.kind ~ ' ' ~ target.name ~ ', row ' ~ ns.row ~ ': ' ~ ns.rule) -%}
    {%- endfor -%}
    {%- if found.rows | length > max_rows -%}
        {%- do lines.append('... and ' ~ (found.rows | length - max_rows) ~ ' more row(s)') -%}
    {%- endif -%}
    {%- do lines.append('Fix ' ~ target.path ~ ' and rerun dbt build.') -%}
    {{ return(lines | join('\n')) }}
{% endmacro %}

{#
    seed_rule_target(model): kind (seed, model, ...), name and file of the
    tested node, found in the graph by its relation name.
#}
{% macro seed_rule_target(model) %}
    {%- set identifier = model.identifier if model.identifier is defined else none -%}
    {%- for node in graph.nodes.values()
            if identifier and (node.alias or node.name) == identifier
            and node.resource_type in ['seed', 'model', 'snapshot'] -%}
        {{ return({'kind': node.resource_type, 'name': node.name, 'path': node.original_file_path}) }}
    {%- endfor -%}
    {{ return({'kind': 'relation', 'name': model | string, 'path': model | string}) }}
{% endmacro %}
