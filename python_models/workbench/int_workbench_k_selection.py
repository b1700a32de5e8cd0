"""Workbench: the `k_selection` table of every shipped spec (specs/*.yml).

Thin adapter: the specs folder comes from config.meta in _workbench__models.yml;
the analysis lives in cluster_marts.adapters.workbench (one run per spec per build, cached).
"""

from cluster_marts.adapters.workbench.warehouse import workbench_table


def model(dbt, session):
    dbt.config(materialized="table")
    return workbench_table("k_selection", dbt.config.get("meta"), model="int_workbench_k_selection")
