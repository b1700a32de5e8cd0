"""Workbench spec customers (customers.yml) on ref customer_features.

Written by `python -m cluster_marts.adapters.workbench.dbt_models` from the spec: the literal call below
is the spec's parent in dbt's lineage. The analysis: cluster_marts.adapters.workbench.warehouse.
"""

from cluster_marts.adapters.workbench.warehouse import workbench_fit


def model(dbt, session):
    dbt.config(materialized="table")
    return workbench_fit(dbt.ref("customer_features"), dbt.config.get("meta"), spec="customers",
                         reads="ref customer_features", model="int_workbench_fit_customers")
