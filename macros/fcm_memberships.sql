{#
    Fuzzy c-means memberships from squared distances to the centres, in
    standard SQL (window functions, power, case; no engine-specific syntax):
    the one SQL twin of cluster_marts.algorithms.fcm.fcm_memberships, which
    the Python scoring (cluster_marts.profiling.reference.score_memberships)
    calls. tests/unit/test_fcm_membership_sql.py runs this macro's SQL in
    DuckDB against the Python formula.

        u_j = 1 / sum_l (d_j / d_l)^(2 / (m - 1))
            = r_j^(-1/(m-1)) / sum_l r_l^(-1/(m-1)),  r_j = d2_j / min_l d2_l

    Dividing by the nearest squared distance first keeps every power <= 1 (no
    overflow when a row is very close to a centre). A row sitting exactly on a
    centre (some d2 = 0) is one-hot on its first such centre (lowest
    `centre` value), as in Python.

    Arguments
        relation          relation or CTE name: one row per scored row and centre
        partition_by      list of columns identifying one scored row (its k centre rows)
        centre            column ordering the centres (the first zero-distance centre wins)
        squared_distance  column, >= 0
        fuzziness         column or number, m > 1

    Returns a select of every column of `relation` plus `membership` (and the
    helper columns fcm_nearest_squared_distance, fcm_first_centre_on, fcm_weight).
#}
{% macro fcm_memberships(relation, partition_by, centre='segment_id', squared_distance='squared_distance',
                         fuzziness='fuzziness') %}
{%- set scored_row = 'partition by ' ~ (partition_by | join(', ')) -%}
select
    weighted.*,
    weighted.fcm_weight / sum(weighted.fcm_weight) over ({{ scored_row }}) as membership
from (
    select
        nearest.*,
        case
            when nearest.fcm_nearest_squared_distance = 0
                then case when nearest.{{ centre }} = nearest.fcm_first_centre_on
                    then cast(1 as double) else cast(0 as double) end
            else power(
                nearest.{{ squared_distance }} / nearest.fcm_nearest_squared_distance,
                -1 / (cast({{ fuzziness }} as double) - 1))
        end as fcm_weight
    from (
        select
            {{ relation }}.*,
            min({{ squared_distance }}) over ({{ scored_row }}) as fcm_nearest_squared_distance,
            min(case when {{ squared_distance }} = 0 then {{ centre }} end) over ({{ scored_row }})
                as fcm_first_centre_on
        from {{ relation }}
    ) as nearest
) as weighted
{% endmacro %}
