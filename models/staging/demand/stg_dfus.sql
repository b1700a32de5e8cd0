{#
    DFU master, typed. One row per DFU. The raw cluster_assignment is dropped:
    dim_dfu gets it from this warehouse's clustering.
#}
with

source as (
    {{ raw_source('dim_dfu') }}
),

typed as (
    select
        ----- ids
        {{ clean_text('dfu_id') }} as dfu_id,
        {{ clean_text('item_id') }} as item_id,
        ----- strings
        {{ clean_text('brand') }} as brand,
        {{ clean_text('region') }} as region,
        {{ clean_text('state_plan') }} as state_plan,
        {{ clean_text('sales_div') }} as sales_div,
        {{ clean_text('prod_cat_desc') }} as prod_cat_desc,
        {{ clean_text('abc_vol') }} as abc_vol,
        {{ clean_text('service_lvl_grp') }} as service_lvl_grp,
        {{ clean_text('supergroup') }} as supergroup,
        ----- numerics
        {{ try_cast('execution_lag', 'integer') }} as execution_lag,
        {{ try_cast('total_lt', 'integer') }} as total_lt,
        {{ try_cast('alcoh_pct', 'double') }} as alcoh_pct,
        {{ try_cast('proof', 'double') }} as proof
    from source
)

select * from typed
