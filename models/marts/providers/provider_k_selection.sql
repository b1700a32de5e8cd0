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
        cast(features_used as varchar) as features_used,
        cast(settings_json as varchar) as settings_json,
        ----- numerics
        cast(inertia as double) as inertia,
        cast(silhouette as double) as silhouette,
        cast(calinski_harabasz as double) as calinski_harabasz,
        cast(davies_bouldin as double) as davies_bouldin,
        cast(gap as double) as gap,
        cast(gap_sd as double) as gap_sd,
        cast(gap_references as integer) as gap_references,
        cast(smallest_cluster_share as double) as smallest_cluster_share,
        cast(n_components as integer) as n_components,
        cast(random_state as integer) as random_state,
        cast(n_samples as integer) as n_samples,
        ----- booleans
        cast(is_eligible as boolean) as is_eligible,
        cast(is_knee as boolean) as is_knee,
        cast(is_silhouette_best as boolean) as is_silhouette_best,
        cast(is_gap_best as boolean) as is_gap_best,
        cast(is_chosen as boolean) as is_chosen
    from k_selection
)

select * from typed
