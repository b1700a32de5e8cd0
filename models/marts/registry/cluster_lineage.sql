{#
    What happened to every cluster id, build after build: one row per event of a
    fit whose clusters were matched to the previous build's (kept, new,
    vanished, renamed) or numbered afresh (reset: first build or --full-refresh).
    The events come from the clustering models' `lineage` rows
    (cluster_marts.identity.lineage), the workbench's from every spec's model
    (stacked by int_workbench_analysis; scope the spec's name); the names are the clusters' current
    names (provider segment names, DFU labels, customer segment names: a
    top-level segment's group name, a sub-segment's own name; the workbench's
    clusters have none), previous_name the last name recorded for the previous id. A
    kept cluster whose name changed is `renamed`, and so is a cluster of an
    unchanged fit whose name changed (a seed or naming rule edited;
    previous_run_id = run_id). Appended, never rewritten (like clustering_runs,
    --full-refresh leaves it alone unless var cluster_lineage_allow_full_refresh
    is true): an event already recorded (same domain, scope, method, run and
    previous run) is not recorded twice. Only the fits of the domains of var
    cluster_marts_domains are read (macro cluster_marts_domains).
#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    full_refresh=(none if var('cluster_lineage_allow_full_refresh', false) else false),
) }}
{#- (domain, clustering model, the model naming its clusters and the name column; none: no names yet;
    the domain of var cluster_marts_domains it belongs to) -#}
{%- set all_fits = [
    ('providers', 'int_provider_clustering', 'provider_cluster_summary', 'segment_name', 'providers'),
    ('demand', 'int_dfu_clustering', 'dfu_cluster_labels', 'cluster_label', 'demand'),
    ('customers', 'int_customer_segmentation', 'int_customer_segment_names', 'segment_name', 'customers'),
    ('customer_reference', 'int_customer_reference_model', 'int_customer_reference_segment_names', 'segment_name',
     'customers'),
    ('workbench', 'int_workbench_analysis', none, none, 'workbench'),
] -%}
{%- set fits = [] -%}
{%- for fit in all_fits if fit[4] in cluster_marts_domains() -%}{%- do fits.append(fit[:4]) -%}{%- endfor -%}
{%- set named_fits = [] -%}
{%- for fit in fits if fit[2] -%}{%- do named_fits.append(fit) -%}{%- endfor -%}
with

events as (
    {% for domain, fit, names, name_column in fits %}
    select
        {{ json_text('record', 'domain') }} as domain,
        {{ json_text('record', 'scope') }} as scope,
        {{ json_text('record', 'method') }} as method,
        {{ json_text('record', 'run_id') }} as run_id,
        {{ json_text('record', 'previous_run_id') }} as previous_run_id,
        cast({{ json_text('record', 'cluster_id') }} as integer) as cluster_id,
        cast({{ json_text('record', 'previous_cluster_id') }} as integer) as previous_cluster_id,
        {{ json_text('record', 'event') }} as event,
        cast({{ json_text('record', 'distance') }} as double) as distance,
        {{ json_text('record', 'reason') }} as reason
    from {{ ref(fit) }}
    where record_type = 'lineage'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

current_names as (
    -- (domain, scope, method, cluster id, name); method null: the domain has one method
    {% if not named_fits %}
    -- no named fit among the domains that are on (the workbench alone): no names
    select
        cast(null as {{ dbt.type_string() }}) as domain,
        cast(null as {{ dbt.type_string() }}) as scope,
        cast(null as {{ dbt.type_string() }}) as method,
        cast(null as integer) as cluster_id,
        cast(null as {{ dbt.type_string() }}) as name
    limit 0
    {% endif %}
    {% for domain, fit, names, name_column in named_fits %}
    {% if domain in ('customers', 'customer_reference') %}
    -- customer segments: a top-level segment by its group name (scope the axis), a sub-segment by its own
    -- name within its parent (scope '<axis>:<parent path>', as the fit's lineage rows say)
    select
        '{{ domain }}' as domain,
        case when depth = 0 then axis else axis || ':' || parent_path end as scope,
        method,
        cast(segment_id as integer) as cluster_id,
        cast(case when depth = 0 then segment_group else {{ name_column }} end as {{ dbt.type_string() }}) as name
    from {{ ref(names) }}
    {% else %}
    select
        '{{ domain }}' as domain,
        'all' as scope,
        cast(null as {{ dbt.type_string() }}) as method,
        cast(cluster_id as integer) as cluster_id,
        cast({{ name_column }} as {{ dbt.type_string() }}) as name
    from {{ ref(names) }}
    {% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

{% if is_incremental() %}
recorded as (
    select
        domain,
        scope,
        method,
        cluster_id,
        name,
        row_number() over (
            partition by domain, scope, method, cluster_id order by recorded_at desc
        ) as recency
    from {{ this }}
    where cluster_id is not null and name is not null
),

recorded_names as (
    select domain, scope, method, cluster_id, name from recorded where recency = 1
),

new_events as (
    select events.*
    from events
    left join (select distinct domain, scope, method, run_id, previous_run_id from {{ this }}) as done
        on
            events.domain = done.domain
            and events.scope = done.scope
            and events.method = done.method
            and events.run_id = done.run_id
            and coalesce(events.previous_run_id, '') = coalesce(done.previous_run_id, '')
    where done.run_id is null
),

current_clusters as (
    -- every cluster the named fits publish now, with the run that made it
    {% if not named_fits %}
    select
        cast(null as {{ dbt.type_string() }}) as domain,
        cast(null as {{ dbt.type_string() }}) as scope,
        cast(null as {{ dbt.type_string() }}) as method,
        cast(null as {{ dbt.type_string() }}) as run_id,
        cast(null as integer) as cluster_id
    limit 0
    {% endif %}
    {% for domain, fit, names, name_column in named_fits %}
    select
        '{{ domain }}' as domain,
        {{ json_text('record', 'scope') }} as scope,
        {{ json_text('record', 'method') }} as method,
        {{ json_text('record', 'run_id') }} as run_id,
        cast({{ json_text('record', 'cluster_id') }} as integer) as cluster_id
    from {{ ref(fit) }}
    where record_type = 'cluster_memory'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

relabelled as (
    -- a cluster of an unchanged fit whose name changed (a seed edit): renamed, with no new fit
    select
        current_clusters.domain,
        current_clusters.scope,
        current_clusters.method,
        current_clusters.run_id,
        current_clusters.run_id as previous_run_id,
        current_clusters.cluster_id,
        current_clusters.cluster_id as previous_cluster_id,
        'renamed' as event,
        cast(null as double) as distance,
        current_names.name,
        recorded_names.name as previous_name,
        'the name changed without a new fit (a seed or a naming rule was edited)' as reason
    from current_clusters
    inner join current_names
        on
            current_clusters.domain = current_names.domain
            and current_clusters.scope = current_names.scope
            and current_clusters.method = coalesce(current_names.method, current_clusters.method)
            and current_clusters.cluster_id = current_names.cluster_id
    inner join recorded_names
        on
            current_clusters.domain = recorded_names.domain
            and current_clusters.scope = recorded_names.scope
            and current_clusters.method = recorded_names.method
            and current_clusters.cluster_id = recorded_names.cluster_id
    left join new_events
        on
            current_clusters.domain = new_events.domain
            and current_clusters.scope = new_events.scope
            and current_clusters.method = new_events.method
            and current_clusters.cluster_id = new_events.cluster_id
    where recorded_names.name <> current_names.name and new_events.domain is null
),
{% else %}
recorded_names as (
    select domain, cluster_id, name, scope, method
    from current_names
    where false
),

new_events as (
    select * from events
),

relabelled as (
    select
        *,
        cast(null as {{ dbt.type_string() }}) as name,
        cast(null as {{ dbt.type_string() }}) as previous_name
    from events
    where false
),
{% endif %}

named as (
    select
        new_events.domain,
        new_events.scope,
        new_events.method,
        new_events.run_id,
        new_events.previous_run_id,
        new_events.cluster_id,
        new_events.previous_cluster_id,
        case
            when new_events.event = 'kept' and recorded_names.name <> current_names.name then 'renamed'
            else new_events.event
        end as event,
        new_events.distance,
        current_names.name,
        recorded_names.name as previous_name,
        new_events.reason
    from new_events
    left join current_names
        on
            new_events.domain = current_names.domain
            and new_events.scope = current_names.scope
            and new_events.method = coalesce(current_names.method, new_events.method)
            and new_events.cluster_id = current_names.cluster_id
    left join recorded_names
        on
            new_events.domain = recorded_names.domain
            and new_events.scope = recorded_names.scope
            and new_events.method = recorded_names.method
            and new_events.previous_cluster_id = recorded_names.cluster_id
),

all_events as (
    select
        domain, scope, method, run_id, previous_run_id, cluster_id, previous_cluster_id, event, distance, name,
        previous_name, reason
    from named
    union all
    select
        domain, scope, method, run_id, previous_run_id, cluster_id, previous_cluster_id, event, distance, name,
        previous_name, reason
    from relabelled
),

as_of_now as (
    select
        *,
        current_timestamp as recorded_at
    from all_events
),

final as (
    {{ cast_to_contract('as_of_now') }}
)

select * from final
