{#
    Several shops in one warehouse: for every axis and pair of stores, whether
    their customers fall into the pooled fit's segments in the same
    proportions (chi-square test of independence, Cramér's V; significant at
    alpha over the number of tests). The rows of int_customer_store_tests,
    typed. Empty when the orders have no store_id.
#}
with

tests as (
    select * from {{ ref('int_customer_store_tests') }}
),

final as (
    {{ cast_to_contract('tests') }}
)

select * from final
