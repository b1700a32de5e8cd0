"""GMM fits report Calinski-Harabasz and Davies-Bouldin wherever k-means fits do.

The workbench's metrics table (any algorithm) and the customer segmentation's
fit metrics (every method, from the k grid at the chosen k) carry both, equal to
scikit-learn's scores of the fit's own labels; two seeds of planted blobs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

from cluster_marts.adapters.customers import segment_all, segment_fit_metrics, segment_k_selection
from cluster_marts.adapters.workbench.analysis import run_spec
from cluster_marts.config.spec import parse_spec
from cluster_marts.preprocessing.prepare import prepare

SEEDS = [0, 7]


def blobs(seed: int) -> pd.DataFrame:
    X, y = make_blobs(240, centers=[[0, 0], [6, 0], [0, 6]], cluster_std=0.8, random_state=seed)
    return pd.DataFrame({"row_id": np.arange(240), "x": X[:, 0], "y": X[:, 1], "truth": y})


def _spec(algorithm: str, seed: int) -> dict:
    return {"name": "blobs", "source": {"ref": "blobs"}, "id_column": "row_id", "features": ["x", "y"],
            "target": "truth", "algorithm": {"name": algorithm}, "n_clusters": 3, "random_state": seed,
            "compare": ["kmeans"]}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("algorithm", ["gmm", "gaussian_mixture", "kmeans"])
def test_workbench_metrics_of_a_gmm_fit_have_ch_and_db(algorithm, seed):
    spec, frame = parse_spec(_spec(algorithm, seed)), blobs(seed)
    out = run_spec(spec, frame)
    metrics = dict(zip(out["metrics"]["metric"], out["metrics"]["value"]))
    X = prepare(spec, frame).X
    labels = out["assignments"]["cluster_id"].to_numpy()
    assert metrics["calinski_harabasz"] == pytest.approx(calinski_harabasz_score(X, labels), rel=1e-12)
    assert metrics["davies_bouldin"] == pytest.approx(davies_bouldin_score(X, labels), rel=1e-12)
    assert metrics["calinski_harabasz"] > 100 and metrics["davies_bouldin"] < 0.6  # well-separated planted blobs


@pytest.mark.parametrize("seed", SEEDS)
def test_customer_fit_metrics_of_every_method_have_ch_and_db(seed):
    X, _ = make_blobs(240, centers=[[0, 0], [6, 0], [0, 6]], cluster_std=0.7, random_state=seed)
    frame = pd.DataFrame({"customer_id": np.arange(240), "x": X[:, 0], "y": X[:, 1]})
    fit = segment_all(frame, {"id_column": "customer_id", "axes": {"shape": ["x", "y"]}, "methods": ["fcm", "gmm"],
                              "k_max": 5, "random_state": seed}, model="m")
    metrics = segment_fit_metrics(fit).set_index("method")
    chosen = segment_k_selection(fit).query("is_chosen").set_index("method")
    for method in ("fcm", "gmm"):
        assert metrics.loc[method, "k"] == 3
        for name in ("calinski_harabasz", "davies_bouldin"):
            assert metrics.loc[method, name] == chosen.loc[method, name]
    assert metrics.loc["gmm", "calinski_harabasz"] > 100 and metrics.loc["gmm", "davies_bouldin"] < 0.6
