{#
    Run registry shared by all domains: one row per (domain, run_id,
    settings_hash), appended the first time a run is built and kept
    afterwards, so the table is the history of every fit this warehouse has
    made. run_id hashes the data and the fit settings; settings_hash covers the
    selection settings too (k range, rule), so rebuilding unchanged data with
    unchanged settings adds nothing, and any change adds a row.
    Every domain's k-selection mart has the same schema (models/marts/_k_selection__models.yml),
    so adding a domain is one more (domain, k-selection mart) pair below; scope
    is the axis (customers: one fit per axis and method), null elsewhere.
    The workbench registers one line per spec (scope = spec_name): the fit the
    spec asked for, its algorithm, the clusters it found and its own metrics
    (workbench_metrics), with the run, rows, features and settings of its k
    selection (a density method's chosen k-selection row is only a k-means
    suggestion, so the scores are not taken from there).
    Only the domains of var cluster_marts_domains are read (macro cluster_marts_domains); the rows
    of a domain switched off stay as they were.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    full_refresh=(none if var('clustering_runs_allow_full_refresh', false) else false),
) }}
{%- set k_selection_marts = [
    ('providers', 'provider_k_selection'),
    ('demand', 'dfu_k_selection'),
    ('customers', 'customer_k_selection'),
] -%}
{%- set domains = k_selection_marts | selectattr(0, 'in', cluster_marts_domains()) | list -%}
{%- set workbench = cluster_marts_domain_on('workbench') -%}
with

{% if workbench %}
workbench_fitted as (
    select
        spec_name,
        count(distinct case when cluster_id >= 0 then cluster_id end) as n_clusters
    from {{ ref('workbench_clusters') }}
    group by spec_name
),

workbench_scores as (
    select
        spec_name,
        max(case when metric = 'inertia' then value end) as inertia,
        max(case when metric = 'silhouette' then value end) as silhouette,
        max(case when metric = 'calinski_harabasz' then value end) as calinski_harabasz,
        max(case when metric = 'davies_bouldin' then value end) as davies_bouldin
    from {{ ref('workbench_metrics') }}
    group by spec_name
),
{% endif %}

chosen_runs as (
    {% for domain, k_selection in domains %}
    select
        '{{ domain }}' as domain,
        axis as scope,
        run_id,
        algorithm,
        k,
        selection_rule,
        n_samples,
        features,
        settings_json,
        md5(settings_json) as settings_hash,
        inertia,
        silhouette,
        calinski_harabasz,
        davies_bouldin,
        gap
    from {{ ref(k_selection) }}
    where is_chosen
    {% if not loop.last or workbench %}union all{% endif %}
    {% endfor %}
    {% if workbench %}
    select
        'workbench' as domain,
        chosen.spec_name as scope,
        chosen.run_id,
        chosen.method as algorithm,
        fitted.n_clusters as k,
        chosen.selection_rule,
        chosen.n_samples,
        chosen.features,
        chosen.settings_json,
        md5(chosen.settings_json) as settings_hash,
        scores.inertia,
        scores.silhouette,
        scores.calinski_harabasz,
        scores.davies_bouldin,
        cast(null as double) as gap
    from {{ ref('workbench_k_selection') }} as chosen
    inner join workbench_fitted as fitted on chosen.spec_name = fitted.spec_name
    left join workbench_scores as scores on chosen.spec_name = scores.spec_name
    where chosen.is_chosen
    {% endif %}
),

new_runs as (
    select * from chosen_runs
    {% if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as registered
        where registered.domain = chosen_runs.domain
            and registered.scope is not distinct from chosen_runs.scope
            and registered.run_id = chosen_runs.run_id
            and registered.settings_hash = chosen_runs.settings_hash
    )
    {% endif %}
),

registered as (
    select
        run_id,
        settings_hash,
        domain,
        scope,
        algorithm as method,
        selection_rule,
        features,
        settings_json as parameters,
        k as n_clusters,
        n_samples,
        inertia,
        silhouette,
        calinski_harabasz,
        davies_bouldin,
        gap,
        current_timestamp as registered_at
    from new_runs
),

final as (
    {{ cast_to_contract('registered') }}
)

select * from final
