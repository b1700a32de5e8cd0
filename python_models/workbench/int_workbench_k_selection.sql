{#
    Workbench `k_selection` of every spec, one row per spec and k: rows of int_workbench_analysis, with
    the columns of the mart's contract (spec_name and the one k-selection schema,
    models/marts/_k_selection__models.yml).
#}
{{ config(materialized='view') }}

{{ record_rows(ref('int_workbench_analysis'), 'k_selection', contract_column_names('workbench_k_selection')) }}
