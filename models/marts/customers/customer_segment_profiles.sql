-- depends_on: {{ ref('customer_features') }}
{#
    Segment profiles: one row per axis, method, segment and feature of the axis,
    for the top-level segments and for every subsegment (leaf of the
    hierarchical subdivision, depth > 0). Statistics are over the segment's
    members (customers whose dominant segment it is, or whose path it is):
    size, share, mean, median, std, min, max, q25, q75, and
    - center: for top-level segments the membership-weighted mean over all
      customers (weights u^m for FCM as in the fit, posteriors for GMM; the
      member mean for the hard neural method), for subsegments the member mean;
    - FCM: statistics of the members' membership in their segment;
    - GMM: mixture weight (mean posterior over all customers), statistics of
      the members' probability, probability-weighted feature variance;
    - neural: mean and std of the distance to the segment centre (embedding);
    and the segment's name (int_customer_segment_names: the top-level name on
    top-level rows, the leaf's on subsegment rows).
#}
{%- set feature_columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('customer_features')) -%}
        {%- if is_number_column(column) and column.name != 'customer_id' -%}
            {%- do feature_columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}
with

segments as (
    select * from {{ ref('customer_segments') }}
),

memberships as (
    select * from {{ ref('customer_memberships') }}
),

names as (
    select * from {{ ref('int_customer_segment_names') }}
),

fits as (
    -- the fitted axes and the features their fit used (a skipped axis has no segments to profile)
    select axis, method, features_used as features, fuzziness
    from {{ ref('customer_fit_metrics') }}
    where status = 'fitted'
),

memberships_weighted as (
    select
        memberships.*,
        case
            when memberships.method = 'fcm' then power(memberships.membership, fits.fuzziness)
            else memberships.membership
        end as centre_weight
    from memberships
    inner join fits
        on memberships.axis = fits.axis
        and memberships.method = fits.method
),

feature_values as (
    {% for column in feature_columns %}
    select customer_id, '{{ column }}' as feature, cast({{ column }} as double) as feature_value
    from {{ ref('customer_features') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

axis_features as (
    select distinct fits.axis, fits.method, feature_values.feature
    from fits
    cross join (select distinct feature from feature_values) as feature_values
    where position(',' || feature_values.feature || ',' in ',' || fits.features || ',') > 0
),

population as (
    select axis, method, count(*) as n_customers
    from segments
    group by axis, method
),

member_values as (
    select
        segments.axis,
        segments.method,
        segments.segment_id,
        segments.segment_path,
        segments.depth,
        segments.customer_id,
        segments.max_membership,
        segments.distance_to_centroid,
        feature_values.feature,
        feature_values.feature_value
    from segments
    inner join axis_features
        on segments.axis = axis_features.axis
        and segments.method = axis_features.method
    inner join feature_values
        on segments.customer_id = feature_values.customer_id
        and axis_features.feature = feature_values.feature
),

weighted_centres as (
    select
        memberships.axis,
        memberships.method,
        memberships.segment_id,
        feature_values.feature,
        -- FCM centres weight members by u^m (as the fit does), GMM by the posterior
        sum(memberships.centre_weight * feature_values.feature_value)
            / nullif(sum(memberships.centre_weight), 0) as center,
        avg(memberships.membership) as mixture_weight
    from memberships_weighted as memberships
    inner join axis_features
        on memberships.axis = axis_features.axis
        and memberships.method = axis_features.method
    inner join feature_values
        on memberships.customer_id = feature_values.customer_id
        and axis_features.feature = feature_values.feature
    group by memberships.axis, memberships.method, memberships.segment_id, feature_values.feature
),

weighted_variances as (
    select
        memberships.axis,
        memberships.method,
        memberships.segment_id,
        feature_values.feature,
        sum(memberships.membership * power(feature_values.feature_value - weighted_centres.center, 2))
            / nullif(sum(memberships.membership), 0) as feature_variance
    from memberships
    inner join feature_values
        on memberships.customer_id = feature_values.customer_id
    inner join weighted_centres
        on memberships.axis = weighted_centres.axis
        and memberships.method = weighted_centres.method
        and memberships.segment_id = weighted_centres.segment_id
        and feature_values.feature = weighted_centres.feature
    group by memberships.axis, memberships.method, memberships.segment_id, feature_values.feature
),

{%- set statistics %}
        -- one row per customer and feature of a segment: count(*) is the member count (no distinct hash set)
        count(*) as size,
        avg(member_values.feature_value) as mean,
        percentile_cont(0.5) within group (order by member_values.feature_value) as median,
        stddev_samp(member_values.feature_value) as std,
        min(member_values.feature_value) as min,
        max(member_values.feature_value) as max,
        percentile_cont(0.25) within group (order by member_values.feature_value) as q25,
        percentile_cont(0.75) within group (order by member_values.feature_value) as q75,
        avg(member_values.max_membership) as membership_mean,
        stddev_samp(member_values.max_membership) as membership_std,
        min(member_values.max_membership) as membership_min,
        max(member_values.max_membership) as membership_max,
        percentile_cont(0.5) within group (order by member_values.max_membership) as membership_median,
        avg(member_values.distance_to_centroid) as distance_mean,
        stddev_samp(member_values.distance_to_centroid) as distance_std
{%- endset %}

top_level as (
    select
        member_values.axis,
        member_values.method,
        member_values.segment_id,
        cast(member_values.segment_id as {{ dbt.type_string() }}) as segment_path,
        true as is_top_level,
        member_values.feature,
        {{ statistics }}
    from member_values
    group by member_values.axis, member_values.method, member_values.segment_id, member_values.feature
),

subsegments as (
    select
        member_values.axis,
        member_values.method,
        member_values.segment_id,
        member_values.segment_path,
        false as is_top_level,
        member_values.feature,
        {{ statistics }}
    from member_values
    where member_values.depth > 0
    group by
        member_values.axis, member_values.method, member_values.segment_id,
        member_values.segment_path, member_values.feature
),

profiles as (
    select * from top_level
    union all
    select * from subsegments
),

profiled as (
    select
        profiles.axis,
        profiles.method,
        profiles.segment_id,
        profiles.segment_path,
        names.segment_name,
        profiles.feature,
        profiles.size,
        100.0 * profiles.size / population.n_customers as percentage,
        profiles.mean,
        profiles.median,
        profiles.std,
        profiles.min,
        profiles.max,
        profiles.q25,
        profiles.q75,
        case
            when profiles.is_top_level and profiles.method <> 'neural' then weighted_centres.center
            else profiles.mean
        end as center,
        case when profiles.method = 'fcm' then profiles.membership_mean end as membership_mean,
        case when profiles.method = 'fcm' then profiles.membership_std end as membership_std,
        case when profiles.method = 'fcm' then profiles.membership_min end as membership_min,
        case when profiles.method = 'fcm' then profiles.membership_max end as membership_max,
        case when profiles.method = 'gmm' and profiles.is_top_level then weighted_centres.mixture_weight end
            as mixture_weight,
        case when profiles.method = 'gmm' then profiles.membership_mean end as probability_mean,
        case when profiles.method = 'gmm' then profiles.membership_std end as probability_std,
        case when profiles.method = 'gmm' then profiles.membership_min end as probability_min,
        case when profiles.method = 'gmm' then profiles.membership_max end as probability_max,
        case when profiles.method = 'gmm' then profiles.membership_median end as probability_median,
        case when profiles.method = 'gmm' and profiles.is_top_level then weighted_variances.feature_variance end
            as feature_variance,
        case when profiles.method = 'neural' then profiles.distance_mean end as distance_mean,
        case when profiles.method = 'neural' then profiles.distance_std end as distance_std,
        profiles.is_top_level
    from profiles
    inner join population
        on profiles.axis = population.axis
        and profiles.method = population.method
    left join names
        on profiles.axis = names.axis
        and profiles.method = names.method
        and profiles.segment_path = names.segment_path
    left join weighted_centres
        on profiles.axis = weighted_centres.axis
        and profiles.method = weighted_centres.method
        and profiles.segment_id = weighted_centres.segment_id
        and profiles.feature = weighted_centres.feature
    left join weighted_variances
        on profiles.axis = weighted_variances.axis
        and profiles.method = weighted_variances.method
        and profiles.segment_id = weighted_variances.segment_id
        and profiles.feature = weighted_variances.feature
),

final as (
    {{ cast_to_contract('profiled') }}
)

select * from final
