"""Settings: YAML / ``config.meta`` in, validated frozen dataclasses out.

Every domain's settings (provider and demand clustering, the customer axes,
the workbench specs) are parsed here; errors name the dbt model or spec file,
the key and the allowed values.
"""
