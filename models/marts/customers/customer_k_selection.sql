{# Contracted balance-aware k-selection table. One row per axis, method and k. #}
with

k_selection as (
    select * from {{ ref('int_customer_k_selection') }}
),

typed as (
    select
        ----- ids
        cast(run_id as varchar) as run_id,
        cast(axis as varchar) as axis,
        cast(method as varchar) as method,
        cast(k as integer) as k,
        ----- strings
        cast(silhouette_method as varchar) as silhouette_method,
        cast(selection_rule as varchar) as selection_rule,
        cast(features as varchar) as features,
        ----- numerics
        cast(silhouette as double) as silhouette,
        cast(balance as double) as balance,
        cast(combined_score as double) as combined_score,
        cast(largest_share as double) as largest_share,
        cast(partition_coefficient as double) as partition_coefficient,
        cast(partition_entropy as double) as partition_entropy,
        cast(bic as double) as bic,
        cast(aic as double) as aic,
        cast(reconstruction_error as double) as reconstruction_error,
        cast(n_samples as integer) as n_samples,
        ----- booleans
        cast(is_silhouette_best as boolean) as is_silhouette_best,
        cast(is_combined_best as boolean) as is_combined_best,
        cast(is_chosen as boolean) as is_chosen
    from k_selection
)

select * from typed
