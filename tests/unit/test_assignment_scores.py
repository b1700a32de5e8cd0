"""Row scores on the published assignments: customer segments and workbench assignments.

Planted blobs plus a few far outliers: the outliers must get the largest
normalised distance, and distance / normalised distance / margin must equal
a numpy computation done here (scaling, distances to the centres, RMS radii).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from threadpoolctl import threadpool_limits

from cluster_marts.adapters.customers import segment_all, segment_assignments
from cluster_marts.adapters.workbench.analysis import run_spec
from cluster_marts.config.spec import parse_spec

OUTLIERS = np.array([[18.0, 18.0], [-14.0, 9.0], [10.0, -14.0]])
N_BLOB = 240


@pytest.fixture(autouse=True)
def _one_thread():
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module", params=[5, 7])
def planted(request) -> tuple[np.ndarray, np.ndarray]:
    """Three blobs (80 rows each) then three far outliers, two seeds; returns ``(X, is_outlier)``."""
    X, _ = make_blobs(N_BLOB, centers=[[0, 0], [6, 0], [0, 6]], cluster_std=0.7, random_state=request.param)
    X = np.r_[X, OUTLIERS]
    return X, np.r_[np.zeros(N_BLOB, bool), np.ones(len(OUTLIERS), bool)]


def zscore(X: np.ndarray) -> np.ndarray:
    return (X - X.mean(axis=0)) / X.std(axis=0)


def expected_scores(Z: np.ndarray, centres: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
    """Distance to the own centre (nearest for noise, -1), distance / RMS radius of the own cluster, margin."""
    d = np.sqrt(((Z[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    own = np.where(labels >= 0, labels, d.argmin(axis=1))
    rows = np.arange(len(Z))
    distance = d[rows, own]
    members = labels >= 0
    radius = np.array([np.sqrt(np.mean(distance[members & (labels == j)] ** 2)) for j in range(len(centres))])
    others = d.copy()
    others[rows, own] = np.inf
    return pd.DataFrame({"distance": distance, "normalized_distance": distance / radius[own],
                         "margin": others.min(axis=1) - distance})


def top(scores: pd.Series, n: int) -> set[int]:
    return set(np.argsort(-scores.to_numpy())[:n].tolist())


def test_customer_outliers_get_the_largest_normalized_distance(planted):
    X, is_outlier = planted
    features = pd.DataFrame({"customer_id": np.arange(len(X)) + 1000, "x": X[:, 0], "y": X[:, 1]})
    meta = {"id_column": "customer_id", "axes": {"shape": ["x", "y"]}, "methods": ["fcm", "gmm", "neural"],
            "k_max": 5, "neural": {"epochs": 60, "hidden_units": 8}, "random_state": 42}
    fit = segment_all(features, meta, model="int_customer_segmentation")
    out = segment_assignments(fit)
    outliers = set(np.flatnonzero(is_outlier).tolist())
    for r in fit.results:
        a = out[out["method"] == r.method].reset_index(drop=True)
        assert (a["customer_id"].to_numpy() == features["customer_id"].to_numpy()).all()  # sorted by id already
        assert r.k == 3, r.method  # the planted blobs, outliers do not get a segment of their own
        assert a["margin"].notna().all() and (a["normalized_distance"] >= 0).all()
        if r.method == "neural":
            # the autoencoder embedding is not distance-preserving (it squashes one outlier towards a blob):
            # only the farthest row is checked, and the values cannot be recomputed here
            assert is_outlier[a["normalized_distance"].idxmax()]
            continue
        assert top(a["normalized_distance"], len(outliers)) == outliers, r.method
        want = expected_scores(zscore(X), np.asarray(r.centers), a["segment_id"].to_numpy())
        np.testing.assert_allclose(a["distance_to_centroid"], want["distance"], rtol=1e-9)
        np.testing.assert_allclose(a["normalized_distance"], want["normalized_distance"], rtol=1e-9)
        np.testing.assert_allclose(a["margin"], want["margin"], rtol=1e-9, atol=1e-12)


def _workbench(planted, algorithm: dict, **extra) -> pd.DataFrame:
    X, _ = planted
    frame = pd.DataFrame({"row_id": np.arange(len(X)), "x": X[:, 0], "y": X[:, 1]})
    spec = parse_spec({"name": "planted", "source": {"ref": "planted"}, "id_column": "row_id",
                       "features": ["x", "y"], "algorithm": algorithm, "compare": ["kmeans"], **extra})
    a = run_spec(spec, frame)["assignments"]
    assert a["id"].tolist() == frame["row_id"].astype(str).tolist()
    return a


def test_workbench_kmeans_outliers_get_the_largest_normalized_distance(planted):
    X, is_outlier = planted
    a = _workbench(planted, {"name": "kmeans"}, n_clusters=3)
    Z, labels = zscore(X), a["cluster_id"].to_numpy()
    assert sorted(np.bincount(labels[~is_outlier]).tolist()) == [80, 80, 80]
    centres = np.array([Z[labels == j].mean(axis=0) for j in range(3)])  # k-means centres: member means
    want = expected_scores(Z, centres, labels)
    np.testing.assert_allclose(a["distance_to_centre"], want["distance"], rtol=1e-6)
    np.testing.assert_allclose(a["normalized_distance"], want["normalized_distance"], rtol=1e-6)
    np.testing.assert_allclose(a["margin"], want["margin"], rtol=1e-6, atol=1e-9)
    assert top(a["normalized_distance"], 3) == set(np.flatnonzero(is_outlier).tolist())
    assert (a["margin"] > 0).all()  # k-means assigns to the nearest centre


def test_workbench_noise_is_scored_against_the_nearest_centre(planted):
    X, is_outlier = planted
    a = _workbench(planted, {"name": "dbscan", "params": {"eps": 0.3, "min_samples": 5}})
    Z, labels = zscore(X), a["cluster_id"].to_numpy()
    assert (labels[is_outlier] == -1).all() and a["is_noise"].to_numpy()[is_outlier].all()
    k = int(labels.max()) + 1
    assert k >= 2
    centres = np.array([Z[labels == j].mean(axis=0) for j in range(k)])  # density centres: member means
    want = expected_scores(Z, centres, labels)
    np.testing.assert_allclose(a["distance_to_centre"], want["distance"], rtol=1e-9)
    np.testing.assert_allclose(a["normalized_distance"], want["normalized_distance"], rtol=1e-9)
    np.testing.assert_allclose(a["margin"], want["margin"], rtol=1e-9, atol=1e-12)
    assert top(a["normalized_distance"], 3) == set(np.flatnonzero(is_outlier).tolist())
    assert a.loc[is_outlier, "normalized_distance"].min() > 5
