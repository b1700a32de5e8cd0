{#
    register_raw_sources(): on-run-start hook. On DuckDB nothing: a source is
    read where it lies (meta.external_location of models/sources.yml). On
    Spark every table of source `raw` is registered before any model runs,
    from the same vars: var `<table>_table` (a table of the metastore) as a
    view, else var `<table>_path` (Parquet, CSV with a header, or JSON lines,
    by the extension; a folder or a glob of files) as an unmanaged table
    raw.<table>, replaced on every run, so source('raw', ...) resolves to it.
#}
{% macro register_raw_sources() %}
    {{ return(adapter.dispatch('register_raw_sources', 'cluster_marts')()) }}
{% endmacro %}

{% macro default__register_raw_sources() %}
    {{ return('') }}
{% endmacro %}

{% macro spark__register_raw_sources() %}
    {% if execute %}
        {% do run_query('create database if not exists raw') %}
        {% for node in graph.sources.values() if node.source_name == 'raw' %}
            {% set prefix = node.meta.get('var_prefix', node.name) %}
            {% set table = var(prefix ~ '_table', none) %}
            {% set existing = adapter.get_relation(database=none, schema='raw', identifier=node.name) %}
            {% if existing is not none %}
                {% do run_query('drop ' ~ ('view' if existing.is_view else 'table') ~ ' raw.' ~ node.name) %}
            {% endif %}
            {% if table %}
                {% do run_query('create view raw.' ~ node.name ~ ' as select * from ' ~ table) %}
            {% else %}
                {% set path = var(prefix ~ '_path') | string %}
                {% if not (path.startswith('/') or '://' in path) %}
                    {# relative to the project (where dbt runs), not to the Spark warehouse #}
                    {% set path = env_var('CLUSTER_MARTS_PROJECT_DIR', env_var('PWD', '.')) ~ '/' ~ path %}
                {% endif %}
                {% set extension = path.rstrip('/').split('.')[-1] | lower %}
                {% if extension in ('csv', 'tsv', 'txt') %}
                    {% set using = "csv options (path '" ~ path ~ "', header 'true', inferSchema 'true')" %}
                {% elif extension in ('json', 'jsonl', 'ndjson') %}
                    {% set using = "json options (path '" ~ path ~ "')" %}
                {% else %}
                    {% set using = "parquet options (path '" ~ path ~ "')" %}
                {% endif %}
                {% do run_query('create table raw.' ~ node.name ~ ' using ' ~ using) %}
            {% endif %}
        {% endfor %}
    {% endif %}
    {{ return('') }}
{% endmacro %}
