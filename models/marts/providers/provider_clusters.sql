{# Contracted, typed provider cluster assignments. One row per clustered provider. #}
with

clusters as (
    select * from {{ ref('int_provider_clusters') }}
),

typed as (
    select
        ----- ids
        cast(provider_id as {{ dbt.type_string() }}) as provider_id,
        cast(cluster_id as integer) as cluster_id,
        cast(run_id as {{ dbt.type_string() }}) as run_id,
        ----- strings
        cast(provider_name as {{ dbt.type_string() }}) as provider_name,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(algorithm as {{ dbt.type_string() }}) as algorithm,
        ----- numerics
        cast(avg_intelligence as double) as avg_intelligence,
        cast(avg_price as double) as avg_price,
        cast(avg_speed as double) as avg_speed,
        cast(model_count as integer) as model_count,
        cast(silhouette as double) as silhouette,
        cast(k as integer) as k,
        ----- per-row scores: distance, normalized_distance, margin, second_cluster_id
        {{ cast_row_scores() }}
    from clusters
)

select * from typed
