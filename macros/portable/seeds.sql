{#
    spark__load_csv_rows(model, agate_table): dbt-spark's seed loader with the
    text values escaped. dbt-spark's session connection pastes every binding
    into the insert between single quotes without escaping it, so a seed text
    holding a quote (e.g. "the cluster's mean") breaks the statement. Here each
    text value has its backslashes and quotes escaped the Spark way (\\ and
    \') before it is bound; everything else is dbt-spark's own loader
    (dbt/include/spark/macros/materializations/seed.sql). DuckDB (and every
    other adapter) keeps its own loader: this only overrides the spark__ one.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set batch_size = get_batch_size() %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(batch_size) %}
        {% set bindings = [] %}
        {% for row in chunk %}
            {% for value in row %}
                {% if value is string %}
                    {% do bindings.append(value | replace('\\', '\\\\') | replace("'", "\\'")) %}
                {% else %}
                    {% do bindings.append(value) %}
                {% endif %}
            {% endfor %}
        {% endfor %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    cast({{ get_binding_char() }} as {{ type }})
                    {%- if not loop.last %},{%- endif %}
                {%- endfor -%})
                {%- if not loop.last %},{%- endif %}
            {%- endfor %}
        {% endset %}
        {% do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}
    {{ return(statements[0]) }}
{% endmacro %}
