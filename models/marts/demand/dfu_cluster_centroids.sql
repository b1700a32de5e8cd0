{#
    Contracted, typed DFU cluster centres. One row per cluster and configured feature. (casts:
    macros/engine_outputs.sql)
#}
with

typed as (
    {{ cast_centroids(ref('int_dfu_centroids')) }}
)

select * from typed
