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
