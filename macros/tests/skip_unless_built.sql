{#
    A test that reads several models is selected by `dbt build -s +<mart>` as
    soon as one of them is (dbt's eager indirect selection), also when the
    others are not part of the build. Such a test checks nothing then: it
    skips (no failing row, a note in the build log) when one of `relations`
    is not in the warehouse, so a partial build on an empty warehouse passes
    without extra flags, here and in a host project that installs this
    package. A relation read from a file (a DuckDB external source) counts as
    built; so does a subquery (a test's `where` config).

        {% if cluster_marts.skip_unless_built([model, ref('other')], 'rows_conserved') %}
            {{ cluster_marts.no_failing_rows() }}
        {% else %} ... the test ... {% endif %}
#}
{% macro skip_unless_built(relations, test_name) %}
    {% if not execute %}
        {{ return(false) }}
    {% endif %}
    {% set missing = [] %}
    {% for relation in relations %}
        {% if relation is not string and not relation.external and load_relation(relation) is none %}
            {% do missing.append(relation.identifier) %}
        {% endif %}
    {% endfor %}
    {% if missing %}
        {% do log(test_name ~ ": not checked, " ~ missing | join(', ')
                  ~ " not built in this warehouse (a partial build)", info=true) %}
    {% endif %}
    {{ return(missing | length > 0) }}
{% endmacro %}

{% macro no_failing_rows() %}
select 1 as not_checked where 1 = 0
{% endmacro %}
