{#
    Time-series features of every DFU with enough history, computed over its
    window (see int_dfu_demand_window). One row per DFU. Floats are rounded to
    10 decimals so reruns give identical tables. Definitions are in
    _demand__models.yml next to dfu_features; divisions by a zero mean give the
    documented neutral value (0, or 1 for ratios), never null, for the columns
    that can enter the clustering. No decimal literals in the arithmetic (1.0 is
    a decimal on Spark, whose avg() and division round to the decimal's scale):
    flags are averaged as integers and ratios divided as doubles.
#}
{%- set stable_band = var('dfu_trend_stable_band') -%}
with

checked as (
    select dfu_id from {{ ref('int_dfus_checked') }} where quarantine_reason is null
),

series as (
    select demand_window.*
    from {{ ref('int_dfu_demand_window') }} as demand_window
    inner join checked
        on demand_window.dfu_id = checked.dfu_id
),

series_sized as (
    select
        *,
        count(*) over (partition by dfu_id) as n_months,
        regr_slope(demand, month_index) over (partition by dfu_id) as slope,
        regr_intercept(demand, month_index) over (partition by dfu_id) as intercept,
        avg(demand) over (partition by dfu_id) as series_mean,
        stddev_pop(demand) over (partition by dfu_id) as series_std
    from series
),

series_detrended as (
    select
        *,
        demand - (coalesce(intercept, series_mean) + coalesce(slope, 0) * month_index) as residual,
        lag(demand, 12) over (partition by dfu_id order by month_index) as demand_lag_12,
        month_index >= n_months - 3 as is_recent,
        month_index < 3 as is_first_quarter,
        month_index >= n_months / 2 as is_second_half,
        series_std > 0 and abs(demand - series_mean) > 3 * series_std as is_outlier
    from series_sized
),

series_lagged as (
    select
        *,
        lag(residual, 12) over (partition by dfu_id order by month_index) as residual_lag_12
    from series_detrended
),

halves as (
    select
        dfu_id,
        avg(case when not is_second_half then demand end) as first_half_mean,
        avg(case when is_second_half then demand end) as second_half_mean,
        regr_slope(case when not is_second_half then demand end,
                   case when not is_second_half then month_index end) as first_half_slope,
        regr_slope(case when is_second_half then demand end,
                   case when is_second_half then month_index end) as second_half_slope
    from series_lagged
    group by dfu_id
),

month_of_year_means as (
    select dfu_id, month_of_year, avg(demand) as month_mean
    from series
    group by dfu_id, month_of_year
),

month_of_year_ranked as (
    select
        month_of_year_means.*,
        row_number() over (
            partition by dfu_id order by month_mean desc, month_of_year asc
        ) as month_rank
    from month_of_year_means
),

series_means as (
    select dfu_id, avg(demand) as series_mean from series group by dfu_id
),

seasonal_profile as (
    select
        ranked.dfu_id,
        max(case when ranked.month_rank = 1 then ranked.month_of_year end) as peak_month,
        stddev_pop(ranked.month_mean / nullif(totals.series_mean, 0)) as seasonal_index_std
    from month_of_year_ranked as ranked
    inner join series_means as totals
        on ranked.dfu_id = totals.dfu_id
    group by ranked.dfu_id
),

zero_runs as (
    select
        dfu_id,
        month_index - row_number() over (partition by dfu_id order by month_index) as run_key
    from series
    where demand = 0
),

longest_zero_run as (
    select dfu_id, max(run_length) as longest_zero_run
    from (
        select dfu_id, run_key, count(*) as run_length
        from zero_runs
        group by dfu_id, run_key
    ) as runs
    group by dfu_id
),

aggregated as (
    select
        dfu_id,
        count(*) as months_in_window,
        avg(demand) as mean_demand,
        percentile_cont(0.5) within group (order by demand) as median_demand,
        stddev_pop(demand) as std_demand,
        min(demand) as min_demand,
        max(demand) as max_demand,
        sum(demand) as total_demand,
        max(slope) as trend_slope,
        avg(case when is_first_quarter then demand end) as first_quarter_mean,
        avg(case when is_recent then demand end) as recent_mean,
        -- an exactly linear series leaves only rounding noise as residual: no seasonality
        -- a correlation needs a full year of lag-12 pairs (with 2 pairs it is always +-1)
        case
            when stddev_pop(residual) > 1e-9 * (abs(avg(demand)) + 1) and count(residual_lag_12) >= 12
                then {{ nan_to_null('corr(residual, residual_lag_12)') }}
        end as detrended_yoy_correlation,
        case
            when count(demand_lag_12) >= 12 then {{ nan_to_null('corr(demand, demand_lag_12)') }}
        end as year_over_year_correlation,
        avg(case when demand = 0 then 1 else 0 end) as zero_demand_pct,
        sum(case when is_outlier then 1 else 0 end) as outlier_count
    from series_lagged
    group by dfu_id
),

features as (
    select
        ----- ids
        aggregated.dfu_id,
        ----- strings
        case
            when coalesce(aggregated.trend_slope / nullif(aggregated.mean_demand, 0), 0) > {{ stable_band }}
                then 'positive'
            when coalesce(aggregated.trend_slope / nullif(aggregated.mean_demand, 0), 0) < -{{ stable_band }}
                then 'negative'
            else 'stable'
        end as trend_direction,
        ----- numerics
        cast(aggregated.months_in_window as integer) as months_of_history,
        aggregated.mean_demand,
        aggregated.median_demand,
        aggregated.std_demand,
        coalesce(aggregated.std_demand / nullif(aggregated.mean_demand, 0), 0) as cv_demand,
        aggregated.min_demand,
        aggregated.max_demand,
        aggregated.total_demand,
        ln(1 + aggregated.mean_demand) as log_mean_demand,
        coalesce(aggregated.trend_slope, 0) as trend_slope,
        coalesce(aggregated.trend_slope / nullif(aggregated.mean_demand, 0), 0) as trend_slope_normalized,
        (aggregated.recent_mean - aggregated.first_quarter_mean)
            / nullif(aggregated.first_quarter_mean, 0) as trend_pct_change,
        greatest(coalesce(aggregated.detrended_yoy_correlation, 0), 0) as seasonality_strength,
        cast(seasonal_profile.peak_month as integer) as peak_month,
        coalesce(seasonal_profile.seasonal_index_std, 0) as seasonal_index_std,
        aggregated.year_over_year_correlation,
        aggregated.zero_demand_pct,
        cast(coalesce(longest_zero_run.longest_zero_run, 0) as double)
            / aggregated.months_in_window as sparsity_score,
        1 / (1 + coalesce(aggregated.std_demand / nullif(aggregated.mean_demand, 0), 0)) as demand_stability,
        cast(aggregated.outlier_count as integer) as outlier_count,
        power(
            halves.second_half_mean / nullif(halves.first_half_mean, 0),
            12 / (cast(aggregated.months_in_window as double) / 2)
        ) - 1 as growth_rate,
        coalesce(
            (halves.second_half_slope - halves.first_half_slope) / nullif(aggregated.mean_demand, 0), 0
        ) as acceleration,
        coalesce(aggregated.recent_mean / nullif(aggregated.mean_demand, 0), 1) as recent_vs_historical
    from aggregated
    inner join halves
        on aggregated.dfu_id = halves.dfu_id
    inner join seasonal_profile
        on aggregated.dfu_id = seasonal_profile.dfu_id
    left join longest_zero_run
        on aggregated.dfu_id = longest_zero_run.dfu_id
),

features_rounded as (
    -- rounded to 10 decimals so reruns and engines agree to the last digit;
    -- "+ 0.0" turns a negative zero into zero
    select
        ----- ids
        dfu_id,
        ----- strings
        trend_direction,
        ----- numerics
        months_of_history,
        peak_month,
        outlier_count,
        cast(round(mean_demand, 10) + 0.0 as double) as mean_demand,
        cast(round(median_demand, 10) + 0.0 as double) as median_demand,
        cast(round(std_demand, 10) + 0.0 as double) as std_demand,
        cast(round(cv_demand, 10) + 0.0 as double) as cv_demand,
        cast(round(min_demand, 10) + 0.0 as double) as min_demand,
        cast(round(max_demand, 10) + 0.0 as double) as max_demand,
        cast(round(total_demand, 10) + 0.0 as double) as total_demand,
        cast(round(log_mean_demand, 10) + 0.0 as double) as log_mean_demand,
        cast(round(trend_slope, 10) + 0.0 as double) as trend_slope,
        cast(round(trend_slope_normalized, 10) + 0.0 as double) as trend_slope_normalized,
        cast(round(trend_pct_change, 10) + 0.0 as double) as trend_pct_change,
        cast(round(seasonality_strength, 10) + 0.0 as double) as seasonality_strength,
        cast(round(seasonal_index_std, 10) + 0.0 as double) as seasonal_index_std,
        cast(round(year_over_year_correlation, 10) + 0.0 as double) as year_over_year_correlation,
        cast(round(zero_demand_pct, 10) + 0.0 as double) as zero_demand_pct,
        cast(round(sparsity_score, 10) + 0.0 as double) as sparsity_score,
        cast(round(demand_stability, 10) + 0.0 as double) as demand_stability,
        cast(round(growth_rate, 10) + 0.0 as double) as growth_rate,
        cast(round(acceleration, 10) + 0.0 as double) as acceleration,
        cast(round(recent_vs_historical, 10) + 0.0 as double) as recent_vs_historical
    from features
)

select * from features_rounded
