{#
    Every threshold the labelling reads must be in seeds/dfu_label_thresholds.csv;
    a missing one would silently label every cluster "variable".
    Returns the missing threshold names.
#}
with

required as (
    select unnest([
        'volume_high_percentile', 'volume_low_percentile', 'zero_demand', 'seasonality', 'trend',
        'cv_volatile', 'cv_steady'
    ]) as threshold_name
)

select required.threshold_name
from required
left join {{ ref('dfu_label_thresholds') }} as thresholds
    on required.threshold_name = thresholds.threshold_name
where thresholds.threshold_name is null
