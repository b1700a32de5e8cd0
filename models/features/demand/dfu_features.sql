{#
    Feature mart for DFU clustering: one row per DFU with enough history.
    Time-series features (int_dfu_series_features) plus the DFU and item
    attributes, joined as documented columns. Which columns enter the
    clustering is set in python_models/demand/_demand__models.yml.
#}
with

series_features as (
    select * from {{ ref('int_dfu_series_features') }}
),

dfus as (
    select * from {{ ref('stg_dfus') }}
),

items as (
    select * from {{ ref('stg_items') }}
),

joined as (
    select
        ----- ids
        series_features.dfu_id,
        dfus.item_id,
        ----- strings
        series_features.trend_direction,
        dfus.brand,
        dfus.region,
        dfus.state_plan,
        dfus.sales_div,
        dfus.prod_cat_desc,
        dfus.abc_vol,
        dfus.service_lvl_grp,
        dfus.supergroup,
        items.category,
        items.item_class,
        items.sub_class,
        items.brand_name,
        items.country,
        items.national_service_model,
        ----- numerics
        series_features.months_of_history,
        series_features.mean_demand,
        series_features.median_demand,
        series_features.std_demand,
        series_features.cv_demand,
        series_features.min_demand,
        series_features.max_demand,
        series_features.total_demand,
        series_features.log_mean_demand,
        series_features.trend_slope,
        series_features.trend_slope_normalized,
        series_features.trend_pct_change,
        series_features.seasonality_strength,
        series_features.peak_month,
        series_features.seasonal_index_std,
        series_features.year_over_year_correlation,
        series_features.zero_demand_pct,
        series_features.sparsity_score,
        series_features.demand_stability,
        series_features.outlier_count,
        series_features.growth_rate,
        series_features.acceleration,
        series_features.recent_vs_historical,
        dfus.execution_lag,
        dfus.total_lt,
        dfus.alcoh_pct,
        dfus.proof,
        items.case_weight,
        items.item_proof,
        items.bpc,
        items.bottle_pack,
        items.pack_case
    from series_features
    inner join dfus
        on series_features.dfu_id = dfus.dfu_id
    left join items
        on dfus.item_id = items.item_id
)

select * from joined
