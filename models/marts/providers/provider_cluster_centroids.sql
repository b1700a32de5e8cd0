{# Contracted, typed cluster centres. One row per cluster and feature. (casts: macros/engine_outputs.sql) #}
with

typed as (
    {{ cast_centroids(ref('int_provider_centroids')) }}
)

select * from typed
