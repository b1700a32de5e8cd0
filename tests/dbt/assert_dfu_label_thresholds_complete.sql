{#
    Every threshold the labelling reads must be in seeds/dfu_label_thresholds.csv;
    a missing one would silently label every cluster "variable".
    Returns the missing threshold names.
#}
with

required as (
    select 'volume_high_percentile' as threshold_name
    union all select 'volume_low_percentile'
    union all select 'zero_demand'
    union all select 'seasonality'
    union all select 'trend'
    union all select 'cv_volatile'
    union all select 'cv_steady'
)

select required.threshold_name
from required
left join {{ ref('dfu_label_thresholds') }} as thresholds
    on required.threshold_name = thresholds.threshold_name
where thresholds.threshold_name is null
