"""Workbench spec wine (wine.yml) on source raw.wine.

Written by `python -m cluster_marts.adapters.workbench.dbt_models` from the spec: the literal call below
is the spec's parent in dbt's lineage. The analysis: cluster_marts.adapters.workbench.warehouse.
"""

from cluster_marts.adapters.workbench.warehouse import workbench_fit


def model(dbt, session):
    dbt.config(materialized="table")
    return workbench_fit(dbt.source("raw", "wine"), dbt.config.get("meta"), spec="wine",
                         reads="source raw.wine", model="int_workbench_fit_wine")
