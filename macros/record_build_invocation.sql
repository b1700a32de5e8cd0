{#
    record_build_invocation(): on-run-end hook. Writes this dbt invocation's
    id into the warehouse it ran against (table dbt_invocation, one row), so
    `cluster-marts publish` can check that the run_results.json it audits
    belongs to the warehouse it copies (a build into one file and a publish
    of another is refused).
#}
{% macro record_build_invocation() %}
    {% if execute %}
        create or replace table {{ target.schema }}.dbt_invocation as
        select
            '{{ invocation_id }}' as invocation_id,
            '{{ flags.WHICH }}' as command,
            {{ dbt.current_timestamp() }} as finished_at
    {% endif %}
{% endmacro %}
