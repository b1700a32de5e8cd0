{#
    Provider k-selection, one row per k: the `k_selection` rows of int_provider_clustering (one fit, one
    long table), packed as JSON: text columns, those of the mart's contract (the one k-selection
    schema, models/marts/_k_selection__models.yml), typed by provider_k_selection.
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_provider_clustering'), 'k_selection', contract_column_names('provider_k_selection'),
               packed=true) }}
