{#
    customer_fitted_features(features): the fitted (axis, method) pairs of
    customer_fit_metrics, by axis and method, each with the columns of
    `features` (a list of names) its fit used (features_used), in the list's
    order: [{axis, method, features}]; a fit that used none of them is left
    out. Read when the model runs, after customer_fit_metrics is built (the
    caller refs it); empty while dbt only parses, or while
    customer_fit_metrics does not exist yet (dbt compile on an empty
    warehouse). customer_segment_profiles lays its passes out from it.
#}
{% macro customer_fitted_features(features) %}
    {%- set fits = [] -%}
    {%- if execute and load_relation(ref('customer_fit_metrics')) is not none -%}
        {%- set fitted = run_query(
            'select axis, method, features_used from ' ~ ref('customer_fit_metrics')
            ~ " where status = 'fitted' order by axis, method") -%}
        {%- for row in fitted.rows -%}
            {%- set used = (row[2] or '').split(',') | map('trim') | list -%}
            {%- set columns = features | select('in', used) | list -%}
            {%- if columns -%}
                {%- do fits.append({'axis': row[0], 'method': row[1], 'features': columns}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(fits) }}
{% endmacro %}
