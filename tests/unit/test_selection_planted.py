"""The one k grid and its rules recover planted structure, on data built two different ways and two seeds each."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from threadpoolctl import threadpool_limits

from cluster_marts.algorithms.registry import fit_k
from cluster_marts.selection.gap import reference_fit
from cluster_marts.selection.grid import evaluate_k_grid, k_values
from cluster_marts.selection.rules import choose_k


@pytest.fixture(autouse=True)
def _one_thread():
    """Native thread pools off: these fits are tiny and OpenMP spin-waits on a busy CI box."""
    with threadpool_limits(limits=1):
        yield


def blobs(seed: int) -> tuple[np.ndarray, int]:
    """scikit-learn blobs: 4 clusters of 80 rows around centres drawn in a 2-D box."""
    centres = np.array([[-8.0, -8.0], [-8.0, 8.0], [8.0, -8.0], [8.0, 8.0]])
    X, _ = make_blobs(n_samples=320, centers=centres, cluster_std=1.0, random_state=seed)
    return X, 4


def simplex(seed: int) -> tuple[np.ndarray, int]:
    """Built by hand: 5 Gaussian clusters of 50 rows at the vertices of a regular simplex in 5-D (edge 10 * sqrt 2)."""
    rng = np.random.default_rng(seed)
    vertices = 10.0 * np.eye(5)
    X = np.vstack([rng.normal(v, 1.0, size=(50, 5)) for v in vertices])
    return X[rng.permutation(X.shape[0])], 5


@pytest.mark.parametrize("make", [blobs, simplex])
@pytest.mark.parametrize("seed", [0, 7])
def test_rules_find_the_planted_k(make, seed):
    X, planted = make(seed)
    def fit(k):
        return fit_k("kmeans", X, k, random_state=seed, n_init=5)
    grid = evaluate_k_grid(X, k_values(2, 8, X.shape[0]), fit, silhouette_sample_size=2000, random_state=seed,
                           gap_references=5, reference_fit=reference_fit("kmeans", seed, 5))
    for rule in ("silhouette", "gap", "vote", "balanced", "elbow", "calinski_harabasz", "davies_bouldin"):
        out = choose_k(grid, rule)
        assert out.loc[out["is_chosen"], "k"].tolist() == [planted], rule
    at = grid.set_index("k").loc[planted]
    # equal planted sizes: every cluster holds 1/planted of the rows, so balance is exactly 1
    assert at["smallest_cluster_share"] == at["largest_share"] == pytest.approx(1 / planted)
    assert at["balance"] == pytest.approx(1.0) and at["n_clusters_found"] == planted
    assert (grid["gap_references"] == 5).all() and (grid["gap_sd"] > 0).all()
    assert choose_k(grid, "vote")["selection_rule"].iloc[0] == (
        f"vote: elbow={planted}, silhouette={planted}, gap={planted} -> {planted}")
