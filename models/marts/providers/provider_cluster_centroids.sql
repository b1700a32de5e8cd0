{# Contracted, typed cluster centres. One row per cluster and feature. #}
with

typed as (
    {{ cast_to_contract(ref('int_provider_centroids')) }}
)

select * from typed
