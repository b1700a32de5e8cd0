{#
    workbench_assignments.margin (distance to the nearest other centre minus
    distance to the own centre) is defined whenever the spec's fit has two or
    more clusters. Returns the rows of such specs without a margin, and one row
    when workbench_assignments is empty (then there would be nothing to check).
#}
with

cluster_counts as (
    select
        spec_name,
        count(distinct cluster_id) as n_clusters
    from {{ ref('workbench_clusters') }}
    where cluster_id >= 0
    group by spec_name
),

missing as (
    select
        assignments.spec_name,
        assignments.id,
        'margin is null although the spec has two or more clusters' as failure
    from {{ ref('workbench_assignments') }} as assignments
    inner join cluster_counts
        on assignments.spec_name = cluster_counts.spec_name
    where cluster_counts.n_clusters >= 2
      and assignments.margin is null
),

row_count as (
    select count(*) as n_rows from {{ ref('workbench_assignments') }}
),

empty as (
    select
        cast(null as {{ dbt.type_string() }}) as spec_name,
        cast(null as {{ dbt.type_string() }}) as id,
        'workbench_assignments is empty' as failure
    from row_count
    where n_rows = 0
)

select * from missing
union all
select * from empty
