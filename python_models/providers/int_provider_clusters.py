"""Provider cluster assignments and per-row scores at the k chosen by int_provider_k_selection.

Thin adapter: settings come from config.meta in _providers__models.yml (shared
with int_provider_k_selection); all maths lives in cluster_marts.adapters.partition.
Returns the input columns, cluster_id, silhouette, the per-row scores
(distance_to_centroid, normalized_distance, margin, second_cluster_id), k,
algorithm and run_id; provider_clusters casts them.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.partition import assign_clusters


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(dbt.ref("provider_features"))
    k_selection = to_frame(dbt.ref("int_provider_k_selection"))
    return assign_clusters(
        features, k_selection, dbt.config.get("meta"),
        model="int_provider_clusters", upstream="int_provider_k_selection",
    )
