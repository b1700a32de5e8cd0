"""Fit artifact: DFU cluster centres, scaled and in original units.

Same fit as int_dfu_clusters (same settings, same canonical ids); thin
adapter over cluster_marts.adapters.partition.centroids.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.partition import centroids


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(dbt.ref("dfu_features"))
    k_selection = to_frame(dbt.ref("int_dfu_k_selection"))
    return centroids(
        features, k_selection, dbt.config.get("meta"),
        model="int_dfu_centroids", upstream="int_dfu_k_selection",
    )
