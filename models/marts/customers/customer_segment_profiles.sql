-- depends_on: {{ ref('customer_segments') }}, {{ ref('customer_memberships') }}, {{ ref('customer_features') }}
-- depends_on: {{ ref('int_customer_segment_names') }}
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

    Quantiles (median, q25, q75, probability_median) are approximate: a
    candidate from approx_quantile, then a second pass that places it among
    the segment's values (macros/quantiles.sql). They are percentile_cont's
    (linear interpolation) for every segment of up to 65536 members on DuckDB
    (its sample keeps the segment whole) and up to 10000 on Spark; in a larger
    segment they are a member's value near the quantile (rank off by about
    0.2 % of the members on DuckDB). Published in order by construction: q25
    at most the median, q75 at least it (exact quantiles are never changed).

    Memory is bounded at any number of customers: nothing stores a row per
    customer and feature, and no aggregate keeps every value of a segment.
    The fits and the features each used are read when the model runs
    (customer_fitted_features): a member row carries its fit's features in
    numbered slots (slot n: the fit's n-th feature, macros/segment_profiles.sql),
    so each pass is one streaming hash aggregate over every fit with one
    column per slot, turned into one row per feature once aggregated: the
    members' statistics and quantile candidates, where the candidates lie,
    the weighted centres over the memberships and the GMM variances.
#}
{%- set feature_columns = numeric_columns(ref('customer_features'), exclude=['customer_id']) -%}
{%- set fits = customer_fitted_features(feature_columns) -%}
{%- set slots = range(1, (fits | map(attribute='features') | map('length') | max if fits else 0) + 1) | list -%}
{%- set quantiles = [('q25', 0.25), ('median', 0.5), ('q75', 0.75)] -%}
{%- set keys = ['axis', 'method', 'segment_id', 'segment_path', 'is_top_level'] -%}
{%- set parts = ['below', 'through', 'previous', 'next'] -%}
{#- what the passes carry per segment, and per segment and slot -#}
{%- set segment_columns = ['size', 'membership_mean', 'membership_std', 'membership_min', 'membership_max',
                           'membership_n', 'membership_median_candidate', 'distance_mean', 'distance_std'] -%}
{%- set slot_statistics = ['n', 'mean', 'std', 'min', 'max', 'q25_candidate', 'median_candidate',
                           'q75_candidate'] -%}
{%- set slot_neighbours = [] -%}
{%- for name, q in quantiles %}{% for part in parts %}{% do slot_neighbours.append(name ~ '_' ~ part) %}{% endfor %}
{%- endfor -%}
{%- set member_values = slot_members(fits) if fits else none -%}
with

fits as (
    select axis, method, fuzziness
    from {{ ref('customer_fit_metrics') }}
    where status = 'fitted'
),
{%- if fits %}

names as (
    select * from {{ ref('int_customer_segment_names') }}
),

population as (
    select axis, method, count(*) as n_customers
    from {{ ref('customer_segments') }}
    group by axis, method
),

summary as (
    -- per segment: the members' statistics, and of every slot's feature
    select
        {%- for key in keys %}
        members.{{ key }},
        {%- endfor %}
        count(*) as size,
        avg(members.max_membership) as membership_mean,
        stddev_samp(members.max_membership) as membership_std,
        min(members.max_membership) as membership_min,
        max(members.max_membership) as membership_max,
        count(members.max_membership) as membership_n,
        {{ cluster_marts.approx_quantile('members.max_membership', 0.5) }} as membership_median_candidate,
        avg(members.distance_to_centroid) as distance_mean,
        stddev_samp(members.distance_to_centroid) as distance_std
        {%- for slot in slots %}
        {%- set value = 'members.value_' ~ slot %},
        count({{ value }}) as value_{{ slot }}__n,
        avg({{ value }}) as value_{{ slot }}__mean,
        stddev_samp({{ value }}) as value_{{ slot }}__std,
        min({{ value }}) as value_{{ slot }}__min,
        max({{ value }}) as value_{{ slot }}__max
        {%- for name, q in quantiles %},
        {#- one sample for the three quantiles (the engines compute a repeated aggregate once) #}
        {{ cluster_marts.list_element(cluster_marts.approx_quantile(value, quantiles | map('last') | list),
                                      loop.index) }} as value_{{ slot }}__{{ name }}_candidate
        {%- endfor %}
        {%- endfor %}
    from {{ member_values }} as members
    group by
        {%- for key in keys %}
        members.{{ key }}{{ ',' if not loop.last }}
        {%- endfor %}
),

neighbours as (
    -- the summary (one row per segment, carried by max) and where each quantile candidate lies among the members
    select
        {%- for key in keys %}
        summary.{{ key }},
        {%- endfor %}
        {%- for column in segment_columns %}
        max(summary.{{ column }}) as {{ column }},
        {%- endfor %}
        {%- for slot in slots %}{% for statistic in slot_statistics %}
        max(summary.value_{{ slot }}__{{ statistic }}) as value_{{ slot }}__{{ statistic }},
        {%- endfor %}{% endfor %}
        {{ quantile_neighbours('members.max_membership', 'summary.membership_median_candidate',
                               'membership_median') }}
        {%- for slot in slots %}{% for name, q in quantiles %},
        {{ quantile_neighbours('members.value_' ~ slot, 'summary.value_' ~ slot ~ '__' ~ name ~ '_candidate',
                               'value_' ~ slot ~ '__' ~ name) }}
        {%- endfor %}{% endfor %}
    from summary
    inner join {{ member_values }} as members
        {% for key in keys %}{{ 'on' if loop.first else 'and' }} summary.{{ key }} = members.{{ key }}
        {% endfor -%}
    group by
        {%- for key in keys %}
        summary.{{ key }}{{ ',' if not loop.last }}
        {%- endfor %}
),

centres as (
    -- top-level FCM and GMM segments over all customers: FCM weights u^m (as the fit does), GMM the posterior
    {%- set weight = "case when memberships.method = 'fcm' then power(memberships.membership, fits.fuzziness)"
                     ~ " else memberships.membership end" %}
    select
        memberships.axis,
        memberships.method,
        memberships.segment_id,
        avg(memberships.membership) as mixture_weight
        {%- for slot in slots %},
        sum(({{ weight }}) * {{ slot_value(fits, slot, 'memberships') }})
            / nullif(sum({{ weight }}), 0) as value_{{ slot }}__center
        {%- endfor %}
    from {{ ref('customer_memberships') }} as memberships
    inner join fits
        on memberships.axis = fits.axis
        and memberships.method = fits.method
    inner join {{ ref('customer_features') }} as features
        on memberships.customer_id = features.customer_id
    where memberships.method <> 'neural'
    group by memberships.axis, memberships.method, memberships.segment_id
),

weighted as (
    -- the centres (carried by max) and the GMM posterior-weighted variance around them (an FCM segment joins no
    -- membership row: null)
    select
        centres.axis,
        centres.method,
        centres.segment_id,
        max(centres.mixture_weight) as mixture_weight
        {%- for slot in slots %},
        max(centres.value_{{ slot }}__center) as value_{{ slot }}__center,
        sum(memberships.membership
            * power({{ slot_value(fits, slot, 'memberships') }} - centres.value_{{ slot }}__center, 2))
            / nullif(sum(memberships.membership), 0) as value_{{ slot }}__variance
        {%- endfor %}
    from centres
    left join {{ ref('customer_memberships') }} as memberships
        on centres.axis = memberships.axis
        and centres.method = memberships.method
        and centres.segment_id = memberships.segment_id
        and memberships.method = 'gmm'
    left join {{ ref('customer_features') }} as features
        on memberships.customer_id = features.customer_id
    group by centres.axis, centres.method, centres.segment_id
),

feature_neighbours as (
    -- one row per segment and feature: the columns of the feature's slot
    select
        {%- for key in keys %}
        neighbours.{{ key }},
        {%- endfor %}
        slots.feature,
        {%- for column in segment_columns %}
        neighbours.{{ column }},
        {%- endfor %}
        {%- for part in parts %}
        neighbours.membership_median_{{ part }},
        {%- endfor %}
        {%- for statistic in slot_statistics + slot_neighbours %}
        {{ slot_statistic('neighbours', statistic, slots) }} as {{ statistic }}{{ ',' if not loop.last }}
        {%- endfor %}
    from neighbours
    inner join {{ slot_features(fits) }} as slots
        on neighbours.axis = slots.axis
        and neighbours.method = slots.method
),

weighted_profiles as (
    select
        weighted.axis,
        weighted.method,
        weighted.segment_id,
        slots.feature,
        weighted.mixture_weight,
        {%- for statistic in ['center', 'variance'] %}
        {{ slot_statistic('weighted', statistic, slots) }}
            as {{ 'feature_variance' if statistic == 'variance' else statistic }}{{ ',' if loop.first }}
        {%- endfor %}
    from weighted
    inner join {{ slot_features(fits) }} as slots
        on weighted.axis = slots.axis
        and weighted.method = slots.method
),

feature_quantiles as (
    select
        {{ keys | join(', ') }}, feature, size,
        membership_mean, membership_std, membership_min, membership_max,
        {{ quantile_from_neighbours('membership_median', 'membership_median_candidate', 'membership_n', 0.5) }}
            as membership_median,
        distance_mean, distance_std, mean, std, min, max
        {%- for name, q in quantiles %},
        {{ quantile_from_neighbours(name, name ~ '_candidate', 'n', q) }} as {{ name }}
        {%- endfor %}
    from feature_neighbours
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
        -- in order by construction (an approximate q25 or q75 can cross the median; exact ones never do)
        least(profiles.q25, profiles.median) as q25,
        greatest(profiles.q75, profiles.median) as q75,
        case
            when profiles.is_top_level and profiles.method <> 'neural' then weighted_profiles.center
            else profiles.mean
        end as center,
        {%- for statistic in ['mean', 'std', 'min', 'max'] %}
        case when profiles.method = 'fcm' then profiles.membership_{{ statistic }} end as membership_{{ statistic }},
        {%- endfor %}
        case when profiles.method = 'gmm' and profiles.is_top_level then weighted_profiles.mixture_weight end
            as mixture_weight,
        {%- for statistic in ['mean', 'std', 'min', 'max', 'median'] %}
        case when profiles.method = 'gmm' then profiles.membership_{{ statistic }} end as probability_{{ statistic }},
        {%- endfor %}
        case when profiles.method = 'gmm' and profiles.is_top_level then weighted_profiles.feature_variance end
            as feature_variance,
        case when profiles.method = 'neural' then profiles.distance_mean end as distance_mean,
        case when profiles.method = 'neural' then profiles.distance_std end as distance_std,
        profiles.is_top_level
    from feature_quantiles as profiles
    inner join population
        on profiles.axis = population.axis
        and profiles.method = population.method
    left join names
        on profiles.axis = names.axis
        and profiles.method = names.method
        and profiles.segment_path = names.segment_path
    left join weighted_profiles
        on profiles.axis = weighted_profiles.axis
        and profiles.method = weighted_profiles.method
        and profiles.segment_id = weighted_profiles.segment_id
        and profiles.feature = weighted_profiles.feature
),
{%- else %}

profiled as (
    -- nothing fitted (every axis skipped), or compiled before the fits exist: no profile
    select
        {%- for column in model.columns %}
        null as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from fits
    where 1 = 0
),
{%- endif %}

final as (
    {{ cast_to_contract('profiled') }}
)

select * from final
