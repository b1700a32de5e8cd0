{#
    Customer k-selection, one row per axis, method and k: the `k_selection` rows of
    int_customer_segmentation (every axis and method fitted once, one long table), packed as JSON:
    VARCHAR columns, typed by the mart that reads them. The columns are that mart's contract (the one
    k-selection schema, models/marts/_k_selection__models.yml).
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_customer_segmentation'), 'k_selection', contract_column_names('customer_k_selection'),
               packed=true) }}
