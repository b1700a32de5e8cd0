{#
    replace_by_keys_config(keys): the incremental config of a model whose run
    replaces every row of the key values it produces (rerunning a key is
    idempotent) and leaves the other key values alone, as a dict for config():

        {{ config(materialized='incremental', **replace_by_keys_config(['snapshot_type', 'snapshot_date'])) }}

    DuckDB: delete+insert on the keys (unique_key). Spark (Parquet, no Delta
    locally, so no delete or merge): insert_overwrite of the table partitioned
    by the keys, which dbt-spark runs with dynamic partition overwrite: the
    partitions of this run's keys are replaced, the others kept. The partition
    columns are the last columns of the Spark table.
#}
{% macro replace_by_keys_config(keys) %}
    {{ return(adapter.dispatch('replace_by_keys_config', 'cluster_marts')(keys)) }}
{% endmacro %}

{% macro default__replace_by_keys_config(keys) %}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': keys}) }}
{% endmacro %}

{% macro spark__replace_by_keys_config(keys) %}
    {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': keys, 'file_format': 'parquet'}) }}
{% endmacro %}

{#
    DuckDB's delete+insert on a composite unique_key (e.g. the snapshot
    history's snapshot_type, snapshot_date): the adapter's own version deletes
    with `using <new rows> where keys match`, a join of every stored row with
    every new row of its key, so a rebuild grows with the square of the rows
    per key (a snapshot date of 100,000 customers: 10^10 pairs). Here the
    stored rows are matched against the distinct new keys (a semi-join: one
    probe per stored row). dbt looks up this macro in the root project first;
    a project that installs this one as a package gets it by putting
    cluster_marts before dbt in its dispatch search order for the dbt
    namespace.
#}
{% macro duckdb__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
    {%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute="name")) -%}
    {%- if unique_key -%}
        {%- set keys = [unique_key] if unique_key is string else unique_key -%}
        delete from {{ target }} as dbt_incremental_target
        where exists (
            select 1
            from (select distinct {{ keys | join(', ') }} from {{ source }}) as new_keys
            where
            {%- for key in keys %}
                new_keys.{{ key }} = dbt_incremental_target.{{ key }}{{ " and" if not loop.last }}
            {%- endfor %}
        )
        {%- for predicate in incremental_predicates or [] %}
            and {{ predicate }}
        {%- endfor %};
    {% endif %}
    insert into {{ target }} ({{ dest_cols_csv }})
    (
        select {{ dest_cols_csv }}
        from {{ source }}
    )
{%- endmacro %}
