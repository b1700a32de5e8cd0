{#
    record_build_invocation(): on-run-end hook. Writes this dbt invocation's
    id into the warehouse it ran against (table dbt_invocation, one row), so
    `cluster-marts publish` can check that the run_results.json it audits
    belongs to the warehouse it copies (a build into one file and a publish
    of another is refused), and the domains it had on (var
    cluster_marts_domains, comma separated), so the report and publish
    leave out a domain switched off instead of reading its old tables.
#}
{% macro record_build_invocation() %}
    {% if execute and target.type == 'spark' %}
        {# one statement per call, and no create-or-replace of a plain table, on Spark #}
        {% do run_query('drop table if exists ' ~ target.schema ~ '.dbt_invocation') %}
        {% do run_query('create table ' ~ target.schema ~ ".dbt_invocation as select '" ~ invocation_id
                        ~ "' as invocation_id, '" ~ flags.WHICH ~ "' as command, " ~ dbt.current_timestamp()
                        ~ " as finished_at, '" ~ cluster_marts_domains() | join(',') ~ "' as domains") %}
    {% elif execute %}
        create or replace table {{ target.schema }}.dbt_invocation as
        select
            '{{ invocation_id }}' as invocation_id,
            '{{ flags.WHICH }}' as command,
            {{ dbt.current_timestamp() }} as finished_at,
            '{{ cluster_marts_domains() | join(',') }}' as domains
    {% endif %}
{% endmacro %}
