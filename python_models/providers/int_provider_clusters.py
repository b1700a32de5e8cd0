"""Provider cluster assignments at the k chosen by int_provider_k_selection.

Thin adapter: settings come from config.meta in _providers__models.yml (shared
with int_provider_k_selection); all maths lives in cluster_marts.adapters.partition.
"""

from cluster_marts.adapters.partition import assign_clusters


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("provider_features").df()
    k_selection = dbt.ref("int_provider_k_selection").df()
    return assign_clusters(
        features, k_selection, dbt.config.get("meta"),
        model="int_provider_clusters", upstream="int_provider_k_selection",
    )
