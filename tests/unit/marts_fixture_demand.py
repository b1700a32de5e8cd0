"""Fake demand marts of the test warehouse (re-exported by :mod:`marts_fixture`).

``fake_demand_marts()`` returns the two demand marts the GX suites read:
``dim_dfu`` built from the small synthetic demand demo (its raw DFU master plus
``months_of_history`` and ``quarantine_reason``; the short-history DFUs are
quarantined) and ``dfu_cluster_assignments`` with one cluster per planted
archetype (k = 6).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEMAND_RUN_ID = "run-fixture-dfu-0001"
DEMAND_MARTS = ("dfu_cluster_assignments", "dim_dfu")
#: planted archetype -> (cluster_id, cluster_label) of the fake demand clustering
_DFU_CLUSTERS = {
    "steady_high": (0, "high_volume_steady"), "seasonal": (1, "seasonal"),
    "intermittent": (2, "intermittent"), "growing": (3, "growing"),
    "declining": (4, "declining"), "volatile": (5, "volatile"),
}


def fake_demand_marts(seed: int = 42) -> dict[str, pd.DataFrame]:
    """Return ``{"dfu_cluster_assignments": ..., "dim_dfu": ...}`` from the small demand demo."""
    from cluster_marts.demo.demand import generate

    tables = generate("small", seed)
    truth = tables["demo_truth_dfu.parquet"].to_pandas()
    raw = tables["dim_dfu.parquet"].to_pandas()
    clustered = truth[~truth["is_short_history"]].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    cluster = clustered["archetype"].map(_DFU_CLUSTERS)
    assignments = pd.DataFrame({
        "dfu_id": clustered["dfu_id"],
        "cluster_id": cluster.str[0],
        "cluster_label": cluster.str[1],
        "cluster_assignment": cluster.str[1],
        "silhouette": rng.uniform(0.25, 0.75, len(clustered)).round(4),
        "distance_to_centroid": rng.gamma(2.0, 0.4, len(clustered)).round(4),
        "k": len(_DFU_CLUSTERS),
        "run_id": DEMAND_RUN_ID,
    }).astype({"cluster_id": "int32", "k": "int32"})
    history = truth.set_index("dfu_id")
    dim_dfu = raw.drop(columns="cluster_assignment").assign(
        cluster_assignment=raw["dfu_id"].map(assignments.set_index("dfu_id")["cluster_assignment"]),
        months_of_history=raw["dfu_id"].map(history["months_of_history"]).astype("int32"),
        quarantine_reason=np.where(raw["dfu_id"].map(history["is_short_history"]),
                                   "fewer_than_min_months", None),
    )
    return {"dfu_cluster_assignments": assignments, "dim_dfu": dim_dfu}
