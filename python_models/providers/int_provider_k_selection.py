"""k-selection for provider clustering: one row per k with every score.

Thin adapter: settings come from config.meta in _providers__models.yml; all
maths lives in cluster_marts.adapters.partition.select_k.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.partition import select_k


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(dbt.ref("provider_features"))
    return select_k(features, dbt.config.get("meta"), model="int_provider_k_selection")
