{#
    Model-level comparison of regions. One row per region and metric
    (intelligence, price, speed): mean, median, standard deviation and count of
    the models with a value, plus the Kruskal-Wallis test across regions for
    that metric (p-value, epsilon-squared effect size) from int_regional_tests.
#}
with

models as (
    select * from {{ ref('int_ai_models_regioned') }}
),

tests as (
    select * from {{ ref('int_regional_tests') }}
),

metric_values as (
    select region, 'intelligence' as metric, intelligence_index as metric_value from models
    union all
    select region, 'price' as metric, blended_price_usd as metric_value from models
    union all
    select region, 'speed' as metric, median_output_speed as metric_value from models
),

region_stats as (
    select
        region,
        metric,
        count(metric_value) as model_count,
        avg(metric_value) as mean_value,
        percentile_cont(0.5) within group (order by metric_value) as median_value,
        stddev_samp(metric_value) as std_value
    from metric_values
    where metric_value is not null
    group by region, metric
),

compared as (
    select
        region_stats.region,
        region_stats.metric,
        region_stats.model_count,
        region_stats.mean_value,
        region_stats.median_value,
        region_stats.std_value,
        tests.n_groups as n_regions,
        tests.h_statistic as kruskal_h,
        tests.p_value as kruskal_p_value,
        tests.epsilon_squared,
        tests.alpha,
        tests.is_significant
    from region_stats
    left join tests
        on region_stats.metric = tests.metric
),

final as (
    {{ cast_to_contract('compared') }}
)

select * from final
