{#
    customer_axes(): the axes configured for the customer segmentation (the
    `axes` of int_customer_segmentation's config.meta), in configuration
    order; empty while dbt only parses. customer_profile makes its per-axis
    columns from them, so an axis added in that YAML adds columns (and a
    skipped axis has null ones).

    customer_axis_populations(): axis -> its `population` (SQL over the columns
    of customer_features) for every axis that segments a sub-population; the
    tests that expect every customer on every axis read it.
#}
{% macro customer_axes() %}
    {{ return(cluster_marts._customer_axes_meta().keys() | list) }}
{% endmacro %}

{% macro customer_axis_populations() %}
    {%- set populations = {} -%}
    {%- for axis, entry in cluster_marts._customer_axes_meta().items()
            if entry is mapping and entry.get('population') -%}
        {%- do populations.update({axis: entry['population']}) -%}
    {%- endfor -%}
    {{ return(populations) }}
{% endmacro %}

{% macro _customer_axes_meta() %}
    {%- set axes = {} -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
                if node.resource_type == 'model' and node.name == 'int_customer_segmentation' -%}
            {%- do axes.update((node.config.meta or {}).get('axes', {})) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(axes) }}
{% endmacro %}
