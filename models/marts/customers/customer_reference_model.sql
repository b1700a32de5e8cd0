{# Contracted reference model of the snapshots. One row per axis, segment and feature. #}
with

reference as (
    select * from {{ ref('int_customer_reference_model') }}
),

typed as (
    select
        ----- ids
        cast(axis as varchar) as axis,
        cast(segment_id as integer) as segment_id,
        cast(run_id as varchar) as run_id,
        ----- strings
        cast(feature as varchar) as feature,
        ----- numerics
        cast(center_scaled as double) as center_scaled,
        cast(scaler_center as double) as scaler_center,
        cast(scaler_scale as double) as scaler_scale,
        cast(fuzziness as double) as fuzziness,
        cast(k as integer) as k,
        cast(n_samples as integer) as n_samples
    from reference
)

select * from typed
