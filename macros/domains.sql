{#
    cluster_marts_domains(): the domains this build is on, from var cluster_marts_domains
    (default every domain), checked: a list of known domain names, at least one. dbt_project.yml
    switches each domain's folders on or off with the same var (`+enabled`); the nodes that read
    several domains (clustering_runs, cluster_lineage, int_workbench_analysis) read only the domains
    that are on through this macro. A name that is not a domain stops the build while dbt parses, so
    a typo never builds nothing quietly.

    cluster_marts_domain_on(domain): whether `domain` is on.
#}
{% macro cluster_marts_domains() %}
    {%- set known = ['providers', 'demand', 'customers', 'workbench'] -%}
    {%- set domains = var('cluster_marts_domains', known) -%}
    {%- if domains is string or domains is mapping or domains is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "var cluster_marts_domains must be a list of domains, e.g. [customers] or [providers, customers]; got "
            ~ domains ~ ". The domains: " ~ known | join(', ')) }}
    {%- endif -%}
    {%- set unknown = domains | reject('in', known) | list -%}
    {%- if unknown -%}
        {{ exceptions.raise_compiler_error(
            "var cluster_marts_domains names " ~ unknown | join(', ') ~ ", which is not a domain of cluster_marts. "
            ~ "The domains: " ~ known | join(', ') ~ ".") }}
    {%- endif -%}
    {%- if domains | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "var cluster_marts_domains is empty: list at least one of " ~ known | join(', ') ~ ".") }}
    {%- endif -%}
    {{ return(known | select('in', domains) | list) }}
{% endmacro %}

{% macro cluster_marts_domain_on(domain) %}
    {{ return(domain in cluster_marts_domains()) }}
{% endmacro %}
