{# Contracted, typed DFU cluster centres. One row per cluster and configured feature. #}
with

typed as (
    {{ cast_to_contract(ref('int_dfu_centroids')) }}
)

select * from typed
