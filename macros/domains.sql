{#
    cluster_marts_domains(): the domains this build is on, from var cluster_marts_domains
    (default every domain), checked: a list of known domain names, at least one. dbt_project.yml
    switches each domain's folders on or off with the same var (`+enabled`); the nodes that read
    several domains (clustering_runs, cluster_lineage, int_workbench_analysis) read only the domains
    that are on through this macro. A name that is not a domain stops the build while dbt parses, so
    a typo never builds nothing quietly.

    Without the var the environment variable CLUSTER_MARTS_DOMAINS (comma separated) is the default:
    in a host project (this one installed as a package) it is the only switch dbt_project.yml sees,
    since dbt renders a package's project file without vars. When the build runs, a domain whose models
    are on must be in the list, or the build stops saying which setting to align.

    cluster_marts_domain_on(domain): whether `domain` is on.
#}
{% macro cluster_marts_domains() %}
    {%- set known = ['providers', 'demand', 'customers', 'workbench'] -%}
    {%- set default = (env_var('CLUSTER_MARTS_DOMAINS', known | join(',')) | replace(' ', '')).split(',') -%}
    {%- set domains = var('cluster_marts_domains', default) -%}
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
    {%- set on = known | select('in', domains) | list -%}
    {%- if execute -%}
        {%- set extra = cluster_marts_domains_with_models(known) | reject('in', on) | list -%}
        {%- if extra -%}
            {{ exceptions.raise_compiler_error(
                "var cluster_marts_domains is [" ~ on | join(', ') ~ "] but the models of ["
                ~ extra | join(', ') ~ "] are on too. In a project that installs cluster_marts as a package, dbt "
                ~ "switches the package's folders without vars: set the environment variable "
                ~ "CLUSTER_MARTS_DOMAINS=" ~ on | join(',') ~ " for the dbt command as well.") }}
        {%- endif -%}
    {%- endif -%}
    {{ return(on) }}
{% endmacro %}

{#- the domains of `known` that have models of this package in the graph
    (python_models/value is the customers') -#}
{% macro cluster_marts_domains_with_models(known) %}
    {%- set folders = {'providers': 'providers', 'demand': 'demand', 'customers': 'customers',
                       'value': 'customers', 'workbench': 'workbench'} -%}
    {%- set found = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.package_name == 'cluster_marts' -%}
        {%- for folder in node.original_file_path.split('/')[:-1] if folder in folders -%}
            {%- do found.append(folders[folder]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(known | select('in', found) | list) }}
{% endmacro %}

{% macro cluster_marts_domain_on(domain) %}
    {{ return(domain in cluster_marts_domains()) }}
{% endmacro %}
