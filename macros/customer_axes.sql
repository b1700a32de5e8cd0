{#
    customer_axes(): the axes configured for the customer segmentation (the
    `axes` of int_customer_segmentation's config.meta), in configuration
    order; empty while dbt only parses. customer_profile makes its per-axis
    columns from them, so an axis added in that YAML adds columns (and a
    skipped axis has null ones).
#}
{% macro customer_axes() %}
    {%- set axes = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
                if node.resource_type == 'model' and node.name == 'int_customer_segmentation' -%}
            {%- for axis in (node.config.meta or {}).get('axes', {}) -%}{%- do axes.append(axis) -%}{%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(axes) }}
{% endmacro %}
