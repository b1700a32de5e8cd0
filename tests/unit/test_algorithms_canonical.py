"""Tests for the provider/demand fits of cluster_marts.algorithms.registry (fit_k), cluster_marts.identity.canonical
and the distance to the own centre (cluster_marts.algorithms.scores)."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.algorithms.base import ClusterEstimator
from cluster_marts.algorithms.registry import fit_k, make_estimator
from cluster_marts.algorithms.scores import center_distances, member_means, row_scores
from cluster_marts.config.cluster import ALGORITHM_NAMES
from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.identity.canonical import canonical_labels
from cluster_marts.identity.lineage import PreviousFit, cluster_radius, keep_ids

X, Y = make_blobs(n_samples=300, centers=4, cluster_std=0.6, random_state=42)


@pytest.mark.parametrize("name", sorted(ALGORITHM_NAMES))
def test_every_algorithm_recovers_blobs(name):
    result = fit_k(name, X, 4, random_state=42, n_init=3)
    assert isinstance(result, ClusterEstimator) and result.algorithm == name
    assert result.labels_.dtype == np.int64 and set(result.labels_.tolist()) == {0, 1, 2, 3}
    assert result.cluster_centers_.shape == (4, 2)
    assert adjusted_rand_score(Y, result.labels_) >= 0.9
    # centres sit on the members' means (exactly for kmeans/agglomerative, closely for gmm)
    means = np.array([X[result.labels_ == c].mean(axis=0) for c in range(4)])
    np.testing.assert_allclose(result.cluster_centers_, means, atol=0.05)
    expected_inertia = ((X - result.cluster_centers_[result.labels_]) ** 2).sum()
    assert result.inertia_ == pytest.approx(expected_inertia)


@pytest.mark.parametrize("name", sorted(ALGORITHM_NAMES))
def test_algorithms_are_deterministic(name):
    a, b = fit_k(name, X, 3, random_state=7, n_init=2), fit_k(name, X, 3, random_state=7, n_init=2)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.cluster_centers_, b.cluster_centers_)


def test_inertia_by_hand():
    toy = np.array([[0.0, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 2.0]])
    for name in ALGORITHM_NAMES:
        result = fit_k(name, toy, 2, random_state=0, n_init=2)
        assert result.inertia_ == pytest.approx(4.0)  # four points at distance 1 from their centre
        np.testing.assert_allclose(sorted(result.cluster_centers_[:, 0]), [0.0, 10.0])


def test_registry_errors():
    with pytest.raises(SettingsError, match=r"'algorithm'='kmedoids' is not allowed; use one of: agglomerative, "
                                            r"dbscan, fcm, gmm, hdbscan, kmeans"):
        fit_k("kmedoids", X, 4, random_state=0, n_init=1)
    with pytest.raises(InputDataError, match=r"n_samples=3 should be >= k=4"):
        fit_k("kmeans", X[:3], 4, random_state=0, n_init=1)


# --- canonical ids --------------------------------------------------------------------------

def test_canonical_labels_by_hand():
    labels = np.array([0, 0, 1, 2, 2, 2])
    centers = np.array([[3.0, 0.0], [-1.0, 5.0], [3.0, -2.0]])
    rows = centers[labels]  # member means equal the centres
    new_labels, order = canonical_labels(rows, labels)
    # ascending on column 0: old 1 (-1) first; old 0 and 2 tie on 3.0 -> column 1 breaks it: old 2 (-2) then old 0
    np.testing.assert_array_equal(new_labels, [2, 2, 0, 1, 1, 1])
    np.testing.assert_array_equal(order, [1, 2, 0])
    # ordering on the second feature instead
    new_labels, _ = canonical_labels(rows, labels, order_column=1)
    np.testing.assert_array_equal(new_labels, [1, 1, 2, 0, 0, 0])


def test_canonical_orders_by_member_means_not_by_the_algorithms_centres():
    # two clusters whose members' means are 0.5 (old 1) and 10.5 (old 0); noise stays -1, an empty cluster goes last
    rows = np.array([[10.0], [11.0], [0.0], [1.0], [50.0]])
    new_labels, order = canonical_labels(rows, np.array([0, 0, 1, 1, -1]), n_clusters=3)
    np.testing.assert_array_equal(new_labels, [1, 1, 0, 0, -1])
    np.testing.assert_array_equal(order, [1, 0, 2])
    # a fallback key places the empty cluster (old 2) first
    _, order = canonical_labels(rows, np.array([0, 0, 1, 1, -1]), n_clusters=3, fallback=np.array([[0], [0], [-5.0]]))
    np.testing.assert_array_equal(order, [2, 1, 0])


def test_canonical_tie_on_all_coordinates_goes_to_larger_cluster():
    new_labels, _ = canonical_labels(np.ones((4, 1)), np.array([0, 1, 1, 1]))
    np.testing.assert_array_equal(new_labels, [1, 0, 0, 0])


def test_canonical_invariant_to_permutation_and_reruns():
    fit = fit_k("kmeans", X, 4, random_state=42, n_init=3)
    base_labels, _ = canonical_labels(X, fit.labels_)
    means = np.array([X[base_labels == c, 0].mean() for c in range(4)])
    assert np.all(np.diff(means) > 0)
    rng = np.random.default_rng(0)
    for _ in range(5):
        perm = rng.permutation(4)  # old id i becomes perm[i]
        labels, order = canonical_labels(X, perm[fit.labels_])
        np.testing.assert_array_equal(labels, base_labels)
        np.testing.assert_array_equal(perm[fit.labels_][labels == 0][:1], order[:1])
    # a rerun with another seed finds the same partition and must give the same ids
    other = fit_k("kmeans", X, 4, random_state=7, n_init=3)
    np.testing.assert_array_equal(canonical_labels(X, other.labels_)[0], base_labels)


def test_canonical_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"labels must lie in -1\.\.1"):
        canonical_labels(np.zeros((2, 1)), np.array([0, 2]), n_clusters=2)


def test_keep_ids_matches_by_members_means():
    previous = PreviousFit("r", ("x", "y"), np.array([0, 1, 2]), np.array([[0.0, 0.0], [5.0, 5.0], [10.0, 0.0]]),
                           np.ones(3), 3)
    new = previous.means[[2, 0, 1]] + 0.1
    np.testing.assert_array_equal(keep_ids(new, ("x", "y"), lambda a: a, previous).ids, [2, 0, 1])
    # one more cluster than before: the unmatched one gets the next free id
    grown = np.vstack([previous.means + 0.1, [[20.0, 20.0]]])
    match = keep_ids(grown, ("x", "y"), lambda a: a, previous)
    np.testing.assert_array_equal(match.ids, [0, 1, 2, 3])
    assert match.events == ("kept", "kept", "kept", "new") and match.next_id == 4


def test_ids_survive_growth_by_matching_to_the_previous_run():
    # blobs A (0, 0) and B (0.2, 6) nearly tie on the leading feature; C (6, 0) is far
    rng = np.random.default_rng(5)
    centres = np.array([[0.0, 0.0], [0.2, 6.0], [6.0, 0.0]])
    base = np.vstack([c + rng.normal(scale=0.3, size=(100, 2)) for c in centres])
    first = make_estimator("kmeans", 3, random_state=0).fit(base)
    previous, _ = canonical_labels(base, first.labels_)
    memory = PreviousFit("r", ("x", "y"), np.arange(3), member_means(base, previous, 3),
                         cluster_radius(base, previous, 3), 3)
    assert adjusted_rand_score(np.repeat([0, 1, 2], 100), previous) == 1.0
    # 10% more rows, all joining A on its right, so A's mean (0.35) passes B's (0.2); rows come back shuffled
    grown = np.vstack([base, [1.5, 0.0] + rng.normal(scale=0.1, size=(30, 2))])
    row_id = rng.permutation(330)
    second = make_estimator("kmeans", 3, random_state=0).fit(grown[row_id])
    labels, _ = canonical_labels(grown[row_id], second.labels_)
    old = row_id < 300
    before = previous[row_id[old]]
    assert (labels[old] != before).any()  # canonical ids alone swap A and B
    match = keep_ids(member_means(grown[row_id], labels, 3), ("x", "y"), lambda a: a, memory)
    matched = match.publish(labels)
    np.testing.assert_array_equal(matched[old], before)  # every original row keeps its id
    assert sorted(match.ids.tolist()) == [0, 1, 2] and match.ids.tolist() != [0, 1, 2]
    assert (matched[~old] == previous[0]).all()  # the new rows joined A under A's previous id (row 0 is in A)


def test_distances_to_centers_by_hand():
    toy = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
    centers = np.array([[0.0, 0.0], [1.0, 1.0]])
    scores = row_scores(center_distances(toy, centers), np.array([0, 0, 1]), np.ones(2))
    np.testing.assert_allclose(scores.distance, [0.0, 5.0, 0.0])
