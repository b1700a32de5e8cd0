{#
    The YAML contract is the one place a contracted mart's columns and types
    are written; these macros read it from the graph.

    cast_to_contract(relation): every column of the model's contract, in the
    contract's order, cast to the data_type the YAML declares; `relation` is a
    ref or a CTE of the model. The one way a contracted mart is typed: its
    CTEs compute, its final select is

        final as (
            {{ cast_to_contract('summary') }}
        )

        select * from final

    (a Python output read as is: `{{ cast_to_contract(ref('int_dfu_centroids')) }}`).
    A cast that computes (a date difference, a rounding) stays in the CTEs.

    contract_column_names(model_name): the column names of another model's
    contract, in order: what the record_rows views select for the mart that
    reads them (int_customer_k_selection reads customer_k_selection's, the
    k-selection columns of models/marts/_k_selection__models.yml). Empty while
    parsing (the graph is not loaded yet).
#}
{% macro cast_to_contract(relation) %}
    {%- if model.resource_type == 'unit_test' %}
    {#- a dbt unit test compiles the model without the graph, so without its contract: the rows pass as
        computed (the unit test checks the logic; the contract checks the types at build) -#}
    select * from {{ relation }}
    {%- else %}
    {%- if execute and not model.columns %}
        {{ exceptions.raise_compiler_error(
            "model " ~ model.name ~ ": cast_to_contract needs the model's columns and data_type in its YAML") }}
    {%- endif %}
    select
    {%- for column in model.columns.values() %}
        cast({{ column.name }} as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ relation }}
    {%- endif %}
{% endmacro %}

{% macro contract_column_names(model_name) %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set found = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                    | selectattr('name', 'equalto', model_name) | list -%}
    {%- if not found or not found[0].columns -%}
        {{ exceptions.raise_compiler_error(
            "contract_column_names: no model " ~ model_name ~ " with columns in its YAML") }}
    {%- endif -%}
    {{ return(found[0].columns.keys() | list) }}
{% endmacro %}
