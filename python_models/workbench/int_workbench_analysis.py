"""Workbench: every table of every shipped spec (specs/*.yml), each spec run once, as one long table.

Thin adapter: the specs folder comes from config.meta in _workbench__models.yml;
the analysis lives in cluster_marts.adapters.workbench. The SQL models
int_workbench_<table> select their rows (record_type = the table) and columns.
"""

from cluster_marts.adapters.workbench.warehouse import workbench_analysis


def model(dbt, session):
    dbt.config(materialized="table")
    return workbench_analysis(dbt.config.get("meta"), model="int_workbench_analysis")
