{#
    raw_source(table_name): `select` of the raw table with our column names,
    for the first CTE of a staging model.

    The contract of every raw table is its column list in models/sources.yml:
    a column is required (`meta: {required: true}`) or optional with a typed
    SQL default (`meta: {default: "cast(null as string)"}`, SQL that DuckDB
    and Spark both read: `string`, not `varchar`). Before the staging SQL is
    compiled, the table is read (one row) and each contract column is taken
    from, in order:
      1. the user's column named for it in var `<table_name>_columns`
         (e.g. customer_orders_columns: {ordered_at: order_date, amount: revenue});
      2. a column of the same name (case ignored);
      3. its default, when optional.
    A required column found nowhere, a mapping to a column the table lacks, or
    a table with no rows stops the build here, with a message naming the
    source, the column, the columns found and the var to set, instead of a
    binder error further down. Extra columns are ignored.

    Vars are named after the table (meta.var_prefix when set, e.g.
    sales_monthly_* for fact_sales_monthly). The location is the source's:
    var `<table_name>_path` (a CSV, Parquet or
    JSON file, or a glob of many) or, when set, var `<table_name>_table` (a
    table or view already in the warehouse, e.g. `main.orders` or
    `shop.main.orders` of an attached database); see models/sources.yml.

    In a dbt unit test the source is the test's fixture, written in our
    column names: it is used as it is, and no user var applies.
#}
{% macro raw_source(table_name) -%}
{%- set relation = source('raw', table_name) -%}
{%- if not execute or (relation | string).startswith('__dbt__cte__') -%}
select * from {{ relation }}
{%- else -%}
{%- set plan = raw_source_plan(table_name, relation) -%}
select
{%- for column in plan %}
    {{ column.expression }} as {{ column.name }}{{ ',' if not loop.last }}
{%- endfor %}
from {{ relation }}
{%- endif -%}
{%- endmacro %}


{#
    raw_source_plan(table_name, relation): one dict per contract column,
    {name, expression, source_column, defaulted}, after the checks above.
#}
{% macro raw_source_plan(table_name, relation) -%}
{#- this package's source, also when it is installed in a host project (whose project_name differs) -#}
{%- set node = graph.sources['source.cluster_marts.raw.' ~ table_name] -%}
{%- set prefix = node.meta.get('var_prefix', table_name) -%}
{%- set mapping_var = prefix ~ '_columns' -%}
{%- set mapping = var(mapping_var, none) or {} -%}
{%- set where = 'Source raw.' ~ table_name ~ ' (' ~ raw_source_location(prefix) ~ ')' -%}
{%- do raw_source_table_exists(prefix) -%}
{%- set sample = run_query('select * from ' ~ relation ~ ' limit 1') -%}
{%- set found = {} -%}
{%- for name in sample.column_names -%}
    {%- do found.update({name | lower: name}) -%}
{%- endfor -%}
{%- set found_list = sample.column_names | join(', ') -%}
{%- if mapping is not mapping -%}
    {{ exceptions.raise_compiler_error(
        'var ' ~ mapping_var ~ ' must map our column names to yours, e.g. '
        ~ mapping_var ~ ': {' ~ (node.columns.keys() | list | first) ~ ': your_column}; got ' ~ mapping) }}
{%- endif -%}
{%- for ours, theirs in mapping.items() -%}
    {%- if ours not in node.columns -%}
        {{ exceptions.raise_compiler_error(
            'var ' ~ mapping_var ~ ' maps `' ~ ours ~ '`, which is not a column of raw.' ~ table_name
            ~ '. Its columns are: ' ~ (node.columns.keys() | join(', '))
            ~ ' (the keys of the mapping are these names, the values your column names).') }}
    {%- elif (theirs | string | lower) not in found -%}
        {{ exceptions.raise_compiler_error(
            where ~ ' has no column `' ~ theirs ~ '` (var ' ~ mapping_var ~ ' maps `' ~ ours ~ '` to it). '
            ~ 'Columns found: ' ~ found_list ~ '.') }}
    {%- endif -%}
{%- endfor -%}
{%- if sample.rows | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        where ~ ' has no rows: there is nothing to build from. Point var ' ~ prefix ~ '_path (a file) or '
        ~ prefix ~ '_table (a warehouse table) at the data.') }}
{%- endif -%}
{%- set plan = [] -%}
{%- for name, column in node.columns.items() -%}
    {%- set wanted = (mapping.get(name, name) | string | lower) -%}
    {%- if wanted in found -%}
        {%- do plan.append({'name': name, 'expression': adapter.quote(found[wanted]),
                            'source_column': found[wanted], 'defaulted': false}) -%}
    {%- elif column.meta.required -%}
        {{ exceptions.raise_compiler_error(
            where ~ ' has no column `' ~ name ~ '`, which is required. Columns found: ' ~ found_list
            ~ '. If yours has another name, map it: --vars \'{' ~ mapping_var ~ ': {' ~ name
            ~ ': <your column>}}\'. Required: ' ~ raw_source_required(node) | join(', ') ~ '.') }}
    {%- elif column.meta.default is not none -%}
        {%- do plan.append({'name': name, 'expression': column.meta.default,
                            'source_column': none, 'defaulted': true}) -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            'models/sources.yml: column ' ~ name ~ ' of raw.' ~ table_name
            ~ ' needs meta.required: true or a meta.default (its contract).') }}
    {%- endif -%}
{%- endfor -%}
{{ return(plan) }}
{%- endmacro %}


{% macro raw_source_required(node) -%}
{%- set required = [] -%}
{%- for name, column in node.columns.items() if column.meta.required -%}
    {%- do required.append(name) -%}
{%- endfor -%}
{{ return(required) }}
{%- endmacro %}


{# raw_source_location(prefix): where the source is read from, in words, for messages. #}
{% macro raw_source_location(prefix) -%}
{%- set table = var(prefix ~ '_table', none) -%}
{{ return('table ' ~ table if table else 'file ' ~ var(prefix ~ '_path')) }}
{%- endmacro %}


{# raw_source_table_exists(prefix): var <prefix>_table, when set, names a relation that exists. #}
{% macro raw_source_table_exists(prefix) -%}
{%- set name = var(prefix ~ '_table', none) -%}
{%- if name -%}
    {%- set parts = (name | string).split('.') -%}
    {%- set identifier = parts[-1] -%}
    {%- set schema = parts[-2] if parts | length > 1 else target.schema -%}
    {%- set database = parts[-3] if parts | length > 2 else target.database -%}
    {%- if adapter.get_relation(database=database, schema=schema, identifier=identifier) is none -%}
        {{ exceptions.raise_compiler_error(
            'var ' ~ prefix ~ '_table names `' ~ name ~ '`, which is not in the warehouse (looked for '
            ~ database ~ '.' ~ schema ~ '.' ~ identifier ~ '). Give schema.table or database.schema.table '
            ~ 'of a table or view loaded beforehand or of an attached database, or unset it to read var '
            ~ prefix ~ '_path.') }}
    {%- endif -%}
{%- endif -%}
{%- endmacro %}
