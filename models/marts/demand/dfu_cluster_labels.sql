{#
    Business label of every DFU cluster. One row per cluster.

    1. Volume tier: the median, over the cluster's DFUs, of each DFU's
       percentile of mean demand among all clustered DFUs; high at or above
       volume_high_percentile, low at or below volume_low_percentile, else medium.
    2. Pattern, first match on the cluster's mean features: intermittent
       (zero_demand_pct > zero_demand), seasonal (seasonality_strength >
       seasonality), growing / declining (trend_slope_normalized > trend /
       < -trend), volatile (cv_demand > cv_volatile), steady (cv_demand <
       cv_steady), else variable.
    3. cluster_label from seeds/dfu_label_names.csv; when two clusters earn the
       same label, cluster_assignment adds _1, _2, ... in cluster_id order so
       they stay distinguishable (otherwise it equals cluster_label).
    Thresholds: seeds/dfu_label_thresholds.csv.
#}
with

assignments as (
    select dfu_id, cluster_id, run_id from {{ ref('int_dfu_clusters') }}
),

features as (
    select
        dfu_id, mean_demand, cv_demand, seasonality_strength, zero_demand_pct, trend_slope_normalized
    from {{ ref('dfu_features') }}
),

thresholds as (
    select
        max(case when threshold_name = 'volume_high_percentile' then threshold_value end) as volume_high,
        max(case when threshold_name = 'volume_low_percentile' then threshold_value end) as volume_low,
        max(case when threshold_name = 'zero_demand' then threshold_value end) as zero_demand,
        max(case when threshold_name = 'seasonality' then threshold_value end) as seasonality,
        max(case when threshold_name = 'trend' then threshold_value end) as trend,
        max(case when threshold_name = 'cv_volatile' then threshold_value end) as cv_volatile,
        max(case when threshold_name = 'cv_steady' then threshold_value end) as cv_steady
    from {{ ref('dfu_label_thresholds') }}
),

label_names as (
    select pattern, volume_tier, cluster_label from {{ ref('dfu_label_names') }}
),

members as (
    select
        assignments.cluster_id,
        assignments.run_id,
        features.*,
        percent_rank() over (order by features.mean_demand) as volume_percentile
    from assignments
    inner join features
        on assignments.dfu_id = features.dfu_id
),

cluster_profiles as (
    select
        cluster_id,
        max(run_id) as run_id,
        count(*) as dfu_count,
        percentile_cont(0.5) within group (order by volume_percentile) as median_volume_percentile,
        avg(mean_demand) as avg_demand,
        avg(cv_demand) as cv_demand,
        avg(seasonality_strength) as seasonality_strength,
        avg(zero_demand_pct) as zero_demand_pct,
        avg(trend_slope_normalized) as trend_slope_normalized
    from members
    group by cluster_id
),

cluster_classified as (
    select
        cluster_profiles.*,
        case
            when cluster_profiles.median_volume_percentile >= thresholds.volume_high then 'high'
            when cluster_profiles.median_volume_percentile <= thresholds.volume_low then 'low'
            else 'medium'
        end as volume_tier,
        case
            when cluster_profiles.zero_demand_pct > thresholds.zero_demand then 'intermittent'
            when cluster_profiles.seasonality_strength > thresholds.seasonality then 'seasonal'
            when cluster_profiles.trend_slope_normalized > thresholds.trend then 'growing'
            when cluster_profiles.trend_slope_normalized < -thresholds.trend then 'declining'
            when cluster_profiles.cv_demand > thresholds.cv_volatile then 'volatile'
            when cluster_profiles.cv_demand < thresholds.cv_steady then 'steady'
            else 'variable'
        end as pattern
    from cluster_profiles
    cross join thresholds
),

cluster_labelled as (
    select
        cluster_classified.*,
        label_names.cluster_label,
        count(*) over (partition by label_names.cluster_label) as clusters_with_label,
        row_number() over (
            partition by label_names.cluster_label order by cluster_classified.cluster_id
        ) as label_rank
    from cluster_classified
    left join label_names
        on cluster_classified.pattern = label_names.pattern
        and cluster_classified.volume_tier = label_names.volume_tier
),

named as (
    select
        cluster_id,
        run_id,
        cluster_label,
        case
            when clusters_with_label > 1 then cluster_label || '_' || cast(label_rank as {{ dbt.type_string() }})
            else cluster_label
        end as cluster_assignment,
        volume_tier,
        pattern,
        dfu_count,
        median_volume_percentile,
        avg_demand,
        cv_demand,
        seasonality_strength,
        zero_demand_pct,
        trend_slope_normalized
    from cluster_labelled
),

final as (
    {{ cast_to_contract('named') }}
)

select * from final
