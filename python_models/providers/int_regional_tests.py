"""Kruskal-Wallis test across regions for each provider metric (model level).

Thin adapter: the group column and metrics come from config.meta in
_providers__models.yml; the statistics live in cluster_marts.profiling.regional.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.profiling.regional import compare_groups


def model(dbt, session):
    dbt.config(materialized="table")
    models = to_frame(dbt.ref("int_ai_models_regioned"))
    return compare_groups(models, dbt.config.get("meta"), model="int_regional_tests")
