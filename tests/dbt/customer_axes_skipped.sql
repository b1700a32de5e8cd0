{#
    Warns (does not fail) when a customer axis was not segmented: one row per skipped axis, with the
    methods and the reason (every feature constant or null over the customers, or fewer distinct points
    than k_min, or an axis's population holding fewer than k_min + 1 customers, e.g. the seasonality
    axis of a history shorter than a year). Such an axis has no segments; fix the data (e.g. the source
    lacks the column the features need) or remove the axis from config.meta.axes of
    int_customer_segmentation.
#}
{{ config(severity='warn') }}

with

skipped as (
    select axis, method, reason
    from {{ ref('customer_fit_metrics') }}
    where status = 'skipped'
),

skipped_axes as (
    select
        axis,
        {{ dbt.listagg('method', "', '", "order by method") }} as methods,
        min(reason) as reason
    from skipped
    group by axis
)

select * from skipped_axes
