{# Contracted fit metrics and parameters. One row per axis and method. #}
with

metrics as (
    select * from {{ ref('int_customer_fit_metrics') }}
),

typed as (
    select
        ----- ids
        cast(run_id as varchar) as run_id,
        cast(axis as varchar) as axis,
        cast(method as varchar) as method,
        ----- strings
        cast(features as varchar) as features,
        cast(covariance_type as varchar) as covariance_type,
        cast(settings_json as varchar) as settings_json,
        ----- numerics
        cast(k as integer) as k,
        cast(n_samples as integer) as n_samples,
        cast(silhouette as double) as silhouette,
        cast(partition_coefficient as double) as partition_coefficient,
        cast(partition_entropy as double) as partition_entropy,
        cast(bic as double) as bic,
        cast(aic as double) as aic,
        cast(log_likelihood as double) as log_likelihood,
        cast(n_iter as integer) as n_iter,
        cast(reconstruction_error as double) as reconstruction_error,
        cast(avg_max_probability as double) as avg_max_probability,
        cast(high_confidence_count as integer) as high_confidence_count,
        cast(low_confidence_count as integer) as low_confidence_count,
        cast(avg_entropy as double) as avg_entropy,
        cast(max_share_before_subdivision as double) as max_share_before_subdivision,
        cast(max_share_after_subdivision as double) as max_share_after_subdivision,
        cast(n_leaf_segments as integer) as n_leaf_segments,
        cast(fuzziness as double) as fuzziness,
        cast(max_iter as integer) as max_iter,
        cast(tolerance as double) as tolerance,
        cast(encoding_dim as integer) as encoding_dim,
        cast(epochs as integer) as epochs,
        cast(batch_size as integer) as batch_size,
        ----- booleans
        cast(converged as boolean) as converged
    from metrics
)

select * from typed
