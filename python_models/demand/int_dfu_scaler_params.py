"""Fit artifact: the scaler parameters of the DFU clustering, per feature.

With these and int_dfu_centroids, new DFUs can be scored in plain
SQL with the training statistics. Thin adapter over cluster_marts.adapters.partition.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.partition import scaler_params


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(dbt.ref("dfu_features"))
    return scaler_params(features, dbt.config.get("meta"), model="int_dfu_scaler_params")
