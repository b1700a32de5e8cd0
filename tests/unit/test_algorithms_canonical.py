"""Tests for cluster_marts.algorithms.registry, cluster_marts.identity.canonical and distances_to_centers."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.algorithms.registry import ALGORITHMS, FitResult, get_algorithm
from cluster_marts.identity.canonical import canonical_relabel, match_to_previous
from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.selection.metrics import distances_to_centers

X, Y = make_blobs(n_samples=300, centers=4, cluster_std=0.6, random_state=42)


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_every_algorithm_recovers_blobs(name):
    result = ALGORITHMS[name](X, 4, 42, 3)
    assert isinstance(result, FitResult)
    assert result.labels.dtype == np.int64 and set(result.labels.tolist()) == {0, 1, 2, 3}
    assert result.centers.shape == (4, 2)
    assert adjusted_rand_score(Y, result.labels) >= 0.9
    # centres sit on the members' means (exactly for kmeans/agglomerative, closely for gmm)
    means = np.array([X[result.labels == c].mean(axis=0) for c in range(4)])
    np.testing.assert_allclose(result.centers, means, atol=0.05)
    expected_inertia = ((X - result.centers[result.labels]) ** 2).sum()
    assert result.inertia == pytest.approx(expected_inertia)


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_algorithms_are_deterministic(name):
    a, b = ALGORITHMS[name](X, 3, 7, 2), ALGORITHMS[name](X, 3, 7, 2)
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_array_equal(a.centers, b.centers)


def test_inertia_by_hand():
    toy = np.array([[0.0, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 2.0]])
    for name in ALGORITHMS:
        result = ALGORITHMS[name](toy, 2, 0, 2)
        assert result.inertia == pytest.approx(4.0)  # four points at distance 1 from their centre
        np.testing.assert_allclose(sorted(result.centers[:, 0]), [0.0, 10.0])


def test_registry_errors():
    assert get_algorithm("kmeans") is ALGORITHMS["kmeans"]
    with pytest.raises(SettingsError, match=r"'algorithm'='dbscan' is not allowed; use one of: agglomerative, gmm, kmeans"):
        get_algorithm("dbscan")
    with pytest.raises(InputDataError, match=r"n_samples=3 should be >= k=4"):
        ALGORITHMS["kmeans"](X[:3], 4, 0, 1)


# --- canonical ids --------------------------------------------------------------------------

def test_canonical_relabel_by_hand():
    labels = np.array([0, 0, 1, 2, 2, 2])
    centers = np.array([[3.0, 0.0], [-1.0, 5.0], [3.0, -2.0]])
    new_labels, new_centers = canonical_relabel(labels, centers)
    # ascending on column 0: old 1 (-1) first; old 0 and 2 tie on 3.0 -> column 1 breaks it: old 2 (-2) then old 0
    np.testing.assert_array_equal(new_labels, [2, 2, 0, 1, 1, 1])
    np.testing.assert_array_equal(new_centers, centers[[1, 2, 0]])
    # ordering on the second feature instead
    new_labels, _ = canonical_relabel(labels, centers, order_column=1)
    np.testing.assert_array_equal(new_labels, [1, 1, 2, 0, 0, 0])


def test_canonical_tie_on_all_coordinates_goes_to_larger_cluster():
    labels = np.array([0, 1, 1, 1])
    centers = np.array([[1.0], [1.0]])
    new_labels, _ = canonical_relabel(labels, centers)
    np.testing.assert_array_equal(new_labels, [1, 0, 0, 0])


def test_canonical_invariant_to_permutation_and_reruns():
    fit = ALGORITHMS["kmeans"](X, 4, 42, 3)
    base_labels, base_centers = canonical_relabel(fit.labels, fit.centers)
    assert np.all(np.diff(base_centers[:, 0]) > 0)
    rng = np.random.default_rng(0)
    for _ in range(5):
        perm = rng.permutation(4)  # old id i becomes perm[i]
        inverse = np.argsort(perm)
        labels, centers = canonical_relabel(perm[fit.labels], fit.centers[inverse])
        np.testing.assert_array_equal(labels, base_labels)
        np.testing.assert_array_equal(centers, base_centers)
    # a rerun with another seed finds the same partition and must give the same ids
    other = ALGORITHMS["kmeans"](X, 4, 7, 3)
    np.testing.assert_array_equal(canonical_relabel(other.labels, other.centers)[0], base_labels)


def test_canonical_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.1"):
        canonical_relabel(np.array([0, 2]), np.zeros((2, 1)))


def test_match_to_previous():
    previous = np.array([[0.0, 0.0], [5.0, 5.0], [10.0, 0.0]])
    new = previous[[2, 0, 1]] + 0.1
    np.testing.assert_array_equal(match_to_previous(new, previous), [2, 0, 1])
    # one more cluster than before: the unmatched one gets the next free id
    grown = np.vstack([previous + 0.1, [[20.0, 20.0]]])
    np.testing.assert_array_equal(match_to_previous(grown, previous), [0, 1, 2, 3])


def test_distances_to_centers_by_hand():
    toy = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
    centers = np.array([[0.0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(distances_to_centers(toy, np.array([0, 0, 1]), centers), [0.0, 5.0, 0.0])
