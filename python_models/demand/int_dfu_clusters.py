"""DFU cluster assignments at the k chosen by int_dfu_k_selection.

Thin adapter: settings come from config.meta in _demand__models.yml (shared
with int_dfu_k_selection); all maths lives in cluster_marts.adapters.partition.
"""

from cluster_marts.adapters.partition import assign_clusters


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("dfu_features").df()
    k_selection = dbt.ref("int_dfu_k_selection").df()
    return assign_clusters(
        features, k_selection, dbt.config.get("meta"),
        model="int_dfu_clusters", upstream="int_dfu_k_selection",
    )
