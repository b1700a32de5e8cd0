{# Contracted, typed view of the k-selection scores. One row per k. #}
with

k_selection as (
    select * from {{ ref('int_provider_k_selection') }}
),

typed as (
    select
        ----- ids
        cast(run_id as varchar) as run_id,
        cast(k as integer) as k,
        ----- strings
        cast(silhouette_method as varchar) as silhouette_method,
        cast(selection_rule as varchar) as selection_rule,
        cast(algorithm as varchar) as algorithm,
        cast(scaling as varchar) as scaling,
        cast(features as varchar) as features,
        ----- numerics
        cast(inertia as double) as inertia,
        cast(silhouette as double) as silhouette,
        cast(calinski_harabasz as double) as calinski_harabasz,
        cast(davies_bouldin as double) as davies_bouldin,
        cast(random_state as integer) as random_state,
        cast(n_samples as integer) as n_samples,
        ----- booleans
        cast(is_knee as boolean) as is_knee,
        cast(is_chosen as boolean) as is_chosen
    from k_selection
)

select * from typed
