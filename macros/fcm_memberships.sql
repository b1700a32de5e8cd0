{#
    Fuzzy c-means memberships from the squared distances of a row to the k
    centres, stored as one list per row: the one SQL twin of
    cluster_marts.algorithms.fcm.fcm_memberships, which the Python scoring
    (cluster_marts.profiling.reference.score_memberships) calls.
    tests/unit/test_fcm_membership_sql.py runs this macro's SQL in DuckDB
    against the Python formula.

        u_j = 1 / sum_l (d_j / d_l)^(2 / (m - 1))
            = r_j^(-1/(m-1)) / sum_l r_l^(-1/(m-1)),  r_j = d2_j / min_l d2_l

    Dividing by the nearest squared distance first keeps every power <= 1 (no
    overflow when a row is very close to a centre). A row sitting exactly on a
    centre (some d2 = 0) is one-hot on its first such centre (lowest list
    position), as in Python.

    One row per scored row, its centres as a list (position j = centre j - 1,
    i.e. segment_id + 1): no row per centre, so scoring n rows on k centres
    reads and writes n rows. List functions and lambdas differ by engine:
    default__fcm_memberships is DuckDB's (list_*, 1-based lambda indexes),
    spark__fcm_memberships Spark's (transform, array_min, array_position,
    0-based lambda indexes); same formula and tie rule.

    Arguments
        relation           relation or CTE name: one row per scored row
        squared_distances  list column (double[], >= 0), one entry per centre in centre order
        fuzziness          column or number, m > 1

    Returns a select of every column of `relation` plus `memberships` (double[],
    summing to 1, same order as the distances) and the helper columns
    fcm_nearest_squared_distance, fcm_first_centre_on, fcm_weights, fcm_weight_sum.
#}
{% macro fcm_memberships(relation, squared_distances='squared_distances', fuzziness='fuzziness') %}
    {#- rendered without dbt (plain Jinja, as tests/unit/test_fcm_membership_sql.py does): the DuckDB SQL -#}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('fcm_memberships', 'cluster_marts')(relation, squared_distances, fuzziness)) }}
    {%- else -%}
        {{ default__fcm_memberships(relation, squared_distances, fuzziness) }}
    {%- endif -%}
{% endmacro %}

{% macro default__fcm_memberships(relation, squared_distances, fuzziness) %}
select
    summed.*,
    list_transform(summed.fcm_weights, lambda weight: weight / summed.fcm_weight_sum) as memberships
from (
    select weighted.*, list_sum(weighted.fcm_weights) as fcm_weight_sum
    from (
        select
            nearest.*,
            case
                when nearest.fcm_nearest_squared_distance = 0
                    then list_transform(nearest.{{ squared_distances }}, lambda distance, centre:
                        case when centre = nearest.fcm_first_centre_on
                            then cast(1 as double) else cast(0 as double) end)
                else list_transform(nearest.{{ squared_distances }}, lambda distance:
                    power(distance / nearest.fcm_nearest_squared_distance,
                          -1 / (cast({{ fuzziness }} as double) - 1)))
            end as fcm_weights
        from (
            select
                {{ relation }}.*,
                list_min({{ squared_distances }}) as fcm_nearest_squared_distance,
                list_position({{ squared_distances }}, cast(0 as double)) as fcm_first_centre_on
            from {{ relation }}
        ) as nearest
    ) as weighted
) as summed
{% endmacro %}

{% macro spark__fcm_memberships(relation, squared_distances, fuzziness) %}
select
    summed.*,
    transform(summed.fcm_weights, weight -> weight / summed.fcm_weight_sum) as memberships
from (
    select weighted.*, {{ list_sum('weighted.fcm_weights') }} as fcm_weight_sum
    from (
        select
            nearest.*,
            case
                when nearest.fcm_nearest_squared_distance = 0
                    then transform(nearest.{{ squared_distances }}, (distance, centre) ->
                        case when centre + 1 = nearest.fcm_first_centre_on
                            then cast(1 as double) else cast(0 as double) end)
                else transform(nearest.{{ squared_distances }}, distance ->
                    power(distance / nearest.fcm_nearest_squared_distance,
                          -1 / (cast({{ fuzziness }} as double) - 1)))
            end as fcm_weights
        from (
            select
                {{ relation }}.*,
                array_min({{ squared_distances }}) as fcm_nearest_squared_distance,
                array_position({{ squared_distances }}, cast(0 as double)) as fcm_first_centre_on
            from {{ relation }}
        ) as nearest
    ) as weighted
) as summed
{% endmacro %}
