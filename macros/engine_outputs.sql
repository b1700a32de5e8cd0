{#
    Typed selects over the engine's standard outputs, shared by the contracted marts that read them
    (the k-selection marts are typed by cast_to_contract, macros/contracts.sql).
#}
{% macro cast_centroids(relation) %}
    select
        ----- ids
        cast(run_id as {{ dbt.type_string() }}) as run_id,
        cast(cluster_id as integer) as cluster_id,
        ----- strings
        cast(feature as {{ dbt.type_string() }}) as feature,
        ----- numerics
        cast(center_scaled as double) as center_scaled,
        cast(center_original as double) as center_original,
        ----- booleans
        cast(is_used as boolean) as is_used
    from {{ relation }}
{% endmacro %}

{% macro cast_scaler_params(relation) %}
    select
        ----- ids
        cast(run_id as {{ dbt.type_string() }}) as run_id,
        ----- strings
        cast(feature as {{ dbt.type_string() }}) as feature,
        cast(method as {{ dbt.type_string() }}) as method,
        ----- numerics
        cast(center as double) as center,
        cast(scale as double) as scale,
        cast(clip_lower as double) as clip_lower,
        cast(clip_upper as double) as clip_upper,
        ----- booleans
        cast(is_used as boolean) as is_used
    from {{ relation }}
{% endmacro %}

{#
    The per-row scores of an assignment (cluster_marts.algorithms.scores.row_scores,
    published by cluster_marts.adapters.partition.assign_clusters as
    ROW_SCORE_COLUMNS): distance to the own centre, normalised distance,
    margin to the runner-up centre and that centre's id. `alias` qualifies the
    columns when the model joins (e.g. 'clusters').

        select provider_id, {{ cast_row_scores() }} from clusters
#}
{% macro cast_row_scores(alias=none) %}
    {%- set col = (alias ~ '.') if alias else '' -%}
        cast({{ col }}distance_to_centroid as double) as distance_to_centroid,
        cast({{ col }}normalized_distance as double) as normalized_distance,
        cast({{ col }}margin as double) as margin,
        cast({{ col }}second_cluster_id as integer) as second_cluster_id
{%- endmacro %}
