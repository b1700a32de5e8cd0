"""Workbench spec wine (wine.yml) on source raw.wine.

Written by `python -m cluster_marts.adapters.workbench.dbt_models` from the spec: the literal call below
is the spec's parent in dbt's lineage. The analysis: cluster_marts.adapters.workbench.warehouse.
Incremental: the previous build's cluster memory (its own rows) is read back, so a cluster that keeps
its members keeps its id; --full-refresh numbers them afresh; a table of older columns is replaced.
"""

from cluster_marts.adapters.memory import current_layout, read_previous
from cluster_marts.adapters.workbench.warehouse import workbench_fit
from cluster_marts.progress import log_to_dbt


def model(dbt, session):
    # each build replaces every row (all share one fit_key); a table of older columns is replaced
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="fit_key")
    log_to_dbt()
    table = workbench_fit(dbt.source("raw", "wine"), dbt.config.get("meta"), spec="wine",
                          reads="source raw.wine", model="int_workbench_fit_wine",
                          previous=read_previous(dbt, session, "wine"))
    return current_layout(dbt, session, table)
