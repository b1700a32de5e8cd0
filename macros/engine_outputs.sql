{#
    Typed selects over the engine's standard outputs, shared by every domain's
    contracted marts, so the casts that carry the contracts are written once:

        select * from ({{ cast_k_selection(ref('int_dfu_k_selection')) }}) as typed

    cast_k_selection is the one k-selection table of every domain
    (cluster_marts.selection.table.K_SELECTION_COLUMNS): provider_k_selection,
    dfu_k_selection, customer_k_selection and workbench_k_selection. `keys`
    names extra leading string columns (the workbench's spec_name).
#}
{% macro cast_k_selection(relation, keys=[]) %}
    select
        ----- ids
        {%- for key in keys %}
        cast({{ key }} as {{ dbt.type_string() }}) as {{ key }},
        {%- endfor %}
        cast(run_id as {{ dbt.type_string() }}) as run_id,
        cast(axis as {{ dbt.type_string() }}) as axis,
        cast(method as {{ dbt.type_string() }}) as method,
        cast(k as integer) as k,
        ----- strings
        cast(silhouette_method as {{ dbt.type_string() }}) as silhouette_method,
        cast(selection_rule as {{ dbt.type_string() }}) as selection_rule,
        cast(algorithm as {{ dbt.type_string() }}) as algorithm,
        cast(scaling as {{ dbt.type_string() }}) as scaling,
        cast(features as {{ dbt.type_string() }}) as features,
        cast(features_used as {{ dbt.type_string() }}) as features_used,
        cast(settings_json as {{ dbt.type_string() }}) as settings_json,
        ----- numerics
        cast(inertia as double) as inertia,
        cast(silhouette as double) as silhouette,
        cast(calinski_harabasz as double) as calinski_harabasz,
        cast(davies_bouldin as double) as davies_bouldin,
        cast(gap as double) as gap,
        cast(gap_sd as double) as gap_sd,
        cast(gap_references as integer) as gap_references,
        cast(balance as double) as balance,
        cast(combined_score as double) as combined_score,
        cast(smallest_cluster_share as double) as smallest_cluster_share,
        cast(largest_share as double) as largest_share,
        cast(n_clusters_found as integer) as n_clusters_found,
        cast(bic as double) as bic,
        cast(aic as double) as aic,
        cast(partition_coefficient as double) as partition_coefficient,
        cast(partition_entropy as double) as partition_entropy,
        cast(reconstruction_error as double) as reconstruction_error,
        cast(stability as double) as stability,
        cast(n_components as integer) as n_components,
        cast(random_state as integer) as random_state,
        cast(n_samples as integer) as n_samples,
        ----- booleans
        cast(is_eligible as boolean) as is_eligible,
        cast(is_knee as boolean) as is_knee,
        cast(is_silhouette_best as boolean) as is_silhouette_best,
        cast(is_gap_best as boolean) as is_gap_best,
        cast(is_combined_best as boolean) as is_combined_best,
        cast(is_chosen as boolean) as is_chosen
    from {{ relation }}
{% endmacro %}

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

{#
    The contract is the one place a contracted mart's columns and types are
    written: cast every column of `relation` to the data_type its YAML
    contract declares, in the contract's order.

        with typed as ({{ cast_to_contract(ref('int_workbench_metrics')) }})
        select * from typed
#}
{% macro cast_to_contract(relation) %}
    {%- if execute and not model.columns %}
        {{ exceptions.raise_compiler_error(
            "model " ~ model.name ~ ": cast_to_contract needs the model's columns and data_type in its YAML") }}
    {%- endif %}
    select
    {%- for column in model.columns.values() %}
        cast({{ column.name }} as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ relation }}
{% endmacro %}
