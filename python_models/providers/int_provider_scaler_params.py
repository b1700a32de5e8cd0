"""Fit artifact: the scaler parameters of the provider clustering, per feature.

With these and int_provider_centroids, new providers can be scored in plain
SQL with the training statistics. Thin adapter over cluster_marts.adapters.partition.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.partition import scaler_params


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(dbt.ref("provider_features"))
    return scaler_params(features, dbt.config.get("meta"), model="int_provider_scaler_params")
