{# DFUs that cannot be clustered, with the reason. One row per DFU. #}
with

checked as (
    select * from {{ ref('int_dfus_checked') }}
),

quarantined as (
    select
        ----- ids
        dfu_id,
        ----- strings
        quarantine_reason,
        ----- numerics
        months_of_history
    from checked
    where quarantine_reason is not null
)

select * from quarantined
