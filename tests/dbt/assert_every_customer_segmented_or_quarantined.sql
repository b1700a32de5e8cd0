{#
    Nothing lost: every customer named by an order is, on every fitted axis
    and method, in customer_segments, or is in customer_features_quarantine
    with a reason. An axis with a population (customer_axis_populations)
    expects the customers of customer_features its condition holds for.
    Returns the customers (per axis and method) that are neither, and one
    row when customer_fit_metrics holds no row at all (then nothing was
    segmented nor skipped, and the per-fit check above would have nothing to
    compare). Not checked when a model it reads is not built (a
    partial build): skip_unless_built.
#}
{%- set parents = [ref('int_customers_checked'), ref('customer_fit_metrics'), ref('customer_segments'),
                   ref('customer_features_quarantine'), ref('customer_features')] -%}
{% if cluster_marts.skip_unless_built(parents, 'assert_every_customer_segmented_or_quarantined') %}
{{ cluster_marts.no_failing_rows() }}
{% else %}
with

customers as (
    select customer_id from {{ ref('int_customers_checked') }}
),

features as (
    select * from {{ ref('customer_features') }}
),

fits as (
    select axis, method, status from {{ ref('customer_fit_metrics') }}
),

expected as (
    -- a skipped axis segments nobody (customer_axes_skipped warns about it)
    select customers.customer_id, fits.axis, fits.method
    from customers
    left join features
        on customers.customer_id = features.customer_id
    cross join fits
    where fits.status = 'fitted'
        -- a per-store fit (<axis>@<store>) expects its store's customers
        and coalesce(features.store_id = {{ cluster_marts.axis_store('fits.axis') }}, true)
    {%- for axis, population in cluster_marts.customer_axis_populations().items() %}
        and ({{ cluster_marts.axis_base('fits.axis') }} <> '{{ axis }}' or coalesce(({{ population }}), false))
    {%- endfor %}
),

lost as (
    select
        expected.customer_id,
        expected.axis,
        expected.method,
        'neither segmented nor quarantined' as failure
    from expected
    left join {{ ref('customer_segments') }} as segments
        on expected.customer_id = segments.customer_id
        and expected.axis = segments.axis
        and expected.method = segments.method
    left join {{ ref('customer_features_quarantine') }} as quarantine
        on expected.customer_id = quarantine.customer_id
    where segments.customer_id is null and quarantine.customer_id is null
),

fit_count as (
    select count(*) as n_fits from fits
),

no_fit as (
    select
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as axis,
        cast(null as {{ dbt.type_string() }}) as method,
        'customer_fit_metrics is empty' as failure
    from fit_count
    where n_fits = 0
)

select * from lost
union all
select * from no_fit
{% endif %}
