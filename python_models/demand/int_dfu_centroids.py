"""Fit artifact: DFU cluster centres, scaled and in original units.

Same fit as int_dfu_clusters (same settings, same canonical ids); thin
adapter over cluster_marts.adapters.partition.centroids.
"""

from cluster_marts.adapters.partition import centroids


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("dfu_features").df()
    k_selection = dbt.ref("int_dfu_k_selection").df()
    return centroids(
        features, k_selection, dbt.config.get("meta"),
        model="int_dfu_centroids", upstream="int_dfu_k_selection",
    )
