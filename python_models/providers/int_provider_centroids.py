"""Fit artifact: provider cluster centres, scaled and in original units.

Same fit as int_provider_clusters (same settings, same canonical ids); thin
adapter over cluster_marts.adapters.partition.centroids.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.partition import centroids


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(dbt.ref("provider_features"))
    k_selection = to_frame(dbt.ref("int_provider_k_selection"))
    return centroids(
        features, k_selection, dbt.config.get("meta"),
        model="int_provider_centroids", upstream="int_provider_k_selection",
    )
