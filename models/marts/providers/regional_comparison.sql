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
        ----- strings
        cast(region_stats.region as {{ dbt.type_string() }}) as region,
        cast(region_stats.metric as {{ dbt.type_string() }}) as metric,
        ----- numerics
        cast(region_stats.model_count as integer) as model_count,
        cast(region_stats.mean_value as double) as mean_value,
        cast(region_stats.median_value as double) as median_value,
        cast(region_stats.std_value as double) as std_value,
        cast(tests.n_groups as integer) as n_regions,
        cast(tests.h_statistic as double) as kruskal_h,
        cast(tests.p_value as double) as kruskal_p_value,
        cast(tests.epsilon_squared as double) as epsilon_squared,
        cast(tests.alpha as double) as alpha,
        ----- booleans
        cast(tests.is_significant as boolean) as is_significant
    from region_stats
    left join tests
        on region_stats.metric = tests.metric
)

select * from compared
