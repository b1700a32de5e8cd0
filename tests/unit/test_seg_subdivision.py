"""Hierarchical subdivision of cluster_marts.selection.subdivision."""

import re

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from cluster_marts.config.segmentation_params import SubdivisionParams
from cluster_marts.selection.subdivision import intra_variance, needs_split, subdivide


@pytest.fixture(autouse=True)
def _one_thread():
    """Native thread pools off: these fits are tiny and OpenMP spin-waits on a busy CI box."""
    with threadpool_limits(limits=1):
        yield

KW = {"weights": (0.4, 0.6), "sample_size": 2000, "random_state": 0}


def _nested(rng):
    """Top-level segment 0: two far groups, the second made of two sub-groups; segment 1: one tight group."""
    a = rng.normal([0, 0], 0.1, size=(120, 2))
    b1 = rng.normal([10, 0], 0.1, size=(120, 2))
    b2 = rng.normal([10, 3], 0.1, size=(120, 2))
    c = rng.normal([-50, 0], 0.1, size=(40, 2))
    X = np.vstack([a, b1, b2, c])
    labels = np.r_[np.zeros(360, int), np.ones(40, int)]
    return X, labels


def test_intra_variance_and_rule():
    assert intra_variance(np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 3.0], [1.0, -3.0]])) == pytest.approx(5.0)
    p = SubdivisionParams(max_variance=2.0, max_share=0.6, min_size=100, max_depth=3)
    assert needs_split(150, 0.1, 2.5, 0, p)  # spread
    assert needs_split(150, 0.7, 0.1, 2, p)  # share
    assert not needs_split(150, 0.7, 2.5, 3, p)  # max depth
    assert not needs_split(99, 0.7, 2.5, 0, p)  # too small
    assert not needs_split(500, 0.6, 2.0, 0, p)  # thresholds are strict


def test_paths_nest_and_are_canonical():
    X, labels = _nested(np.random.default_rng(0))
    p = SubdivisionParams(max_variance=1.0, max_share=0.99, min_size=100, max_depth=3, k_max=2)
    sub = subdivide(X, labels, p, **KW)
    paths = sub.paths
    assert all(re.fullmatch(r"\d+(\.\d+)*", path) for path in paths)
    # segment 0 splits into a (x ~ 0) -> 0.0 and b (x ~ 10) -> 0.1; b splits again on y: 0.1.0 (y ~ 0), 0.1.1 (y ~ 3)
    assert set(paths[:120]) == {"0.0"}
    assert set(paths[120:240]) == {"0.1.0"}
    assert set(paths[240:360]) == {"0.1.1"}
    assert set(paths[360:]) == {"1"}  # variance ~0.02: not split, keeps its path
    np.testing.assert_array_equal(sub.depths, [p_.count(".") for p_ in paths])
    assert sub.n_leaves == 4
    assert sub.max_leaf_share == pytest.approx(0.3)


@pytest.mark.parametrize("max_depth", [0, 1, 2])
def test_max_depth_is_respected(max_depth):
    X, labels = _nested(np.random.default_rng(1))
    p = SubdivisionParams(max_variance=0.0, max_share=0.99, min_size=2, max_depth=max_depth, k_max=2)
    sub = subdivide(X, labels, p, **KW)
    assert sub.depths.max() == max_depth
    assert max(path.count(".") for path in sub.paths) == max_depth


def test_min_size_stops_splitting():
    X, labels = _nested(np.random.default_rng(2))
    p = SubdivisionParams(max_variance=0.0, max_share=0.99, min_size=1000, max_depth=3)
    sub = subdivide(X, labels, p, **KW)
    assert set(sub.paths) == {"0", "1"}
    assert (sub.depths == 0).all()


def test_share_rule_splits_a_giant_segment():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(0, 1, size=(800, 2)), rng.normal(8, 0.2, size=(200, 2))])
    labels = np.r_[np.zeros(800, int), np.ones(200, int)]
    p = SubdivisionParams(max_variance=100.0, max_share=0.6, min_size=100, max_depth=3, k_max=4)
    sub = subdivide(X, labels, p, **KW)
    assert sub.max_leaf_share <= 0.6
    assert set(sub.paths[800:]) == {"1"}


def test_point_mass_is_not_peeled_into_singletons():
    # 402 customers with return rate exactly 0 and one outlier: no split leaves children of >= 2 rows
    X = np.r_[np.zeros(402), 1.0, np.linspace(3, 4, 197)][:, None]
    labels = np.r_[np.zeros(403, int), np.ones(197, int)]
    sub = subdivide(X, labels, SubdivisionParams(max_share=0.6, min_size=100), **KW)
    assert set(sub.paths[:403]) == {"0"}
    assert sub.max_leaf_share == pytest.approx(403 / 600)


def test_split_rule_silhouette_follows_structure_balanced_follows_sizes():
    """A 600/200 mega-segment: silhouette splits along the natural gap (2 children of
    600 and 200); the balance-aware score prefers cutting the big group into more,
    evenly sized children."""
    from cluster_marts.selection.subdivision import split_segment

    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal([0, 0], [1.0, 1.0], size=(600, 2)), rng.normal([9, 0], 0.3, size=(200, 2))])
    by_silhouette = split_segment(X, SubdivisionParams(k_max=4, selection_rule="silhouette"), **KW)
    by_balance = split_segment(X, SubdivisionParams(k_max=4, selection_rule="balanced"), **KW)
    assert sorted(np.bincount(by_silhouette).tolist()) == [200, 600]
    assert by_balance.max() + 1 > 2
    assert np.bincount(by_balance).max() < 600


def _small_wide_segment(seed: int, gap: float):
    """Two tight top-level segments of 4,800 rows each and a small one (400 rows, 4 %) made of two planted
    sub-groups ``gap`` apart: its variance (gap/2)^2 stays under max_variance and its share under max_share."""
    rng = np.random.default_rng(seed)
    tight = [rng.normal([0, 0], 0.15, size=(4800, 2)), rng.normal([6, 0], 0.15, size=(4800, 2))]
    wide = np.vstack([rng.normal([3, 5 - gap / 2], 0.15, size=(200, 2)),
                      rng.normal([3, 5 + gap / 2], 0.15, size=(200, 2))])
    X = np.vstack([*tight, wide])
    labels = np.r_[np.zeros(4800, int), np.ones(4800, int), np.full(400, 2)]
    return X, labels, np.r_[np.zeros(200, int), np.ones(200, int)]


@pytest.mark.parametrize("seed", [0, 11])
def test_the_diameter_trigger_alone_splits_a_small_wide_segment_along_its_planted_groups(seed):
    from sklearn.metrics import adjusted_rand_score

    from cluster_marts.selection.subdivision import diameter

    X, labels, planted = _small_wide_segment(seed, gap=2.0)
    p = SubdivisionParams()  # the defaults: variance 2.0, share 0.6, diameter factor 1.5, min size 100
    wide = X[labels == 2]
    assert intra_variance(wide) < p.max_variance and 400 / len(X) < p.max_share  # the other triggers stay quiet
    assert diameter(wide) > p.diameter_factor * diameter(X[labels == 0])
    sub = subdivide(X, labels, p, **KW)
    assert set(sub.paths[:9600]) == {"0", "1"}  # the tight segments stay whole
    assert set(sub.paths[9600:]) == {"2.0", "2.1"}
    assert adjusted_rand_score(planted, sub.paths[9600:]) == 1.0
    # switched off by a large factor, nothing splits
    off = subdivide(X, labels, SubdivisionParams(diameter_factor=100.0), **KW)
    assert set(off.paths) == {"0", "1", "2"}


@pytest.mark.parametrize("seed", [0, 11])
def test_the_diameter_trigger_leaves_segments_of_the_usual_spread_alone(seed):
    # three round segments of the same spread, one of them small: none is wider than the axis is
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([0, 0], 0.4, size=(3000, 2)), rng.normal([5, 0], 0.4, size=(3000, 2)),
                   rng.normal([2.5, 5], 0.4, size=(300, 2))])
    labels = np.r_[np.zeros(3000, int), np.ones(3000, int), np.full(300, 2)]
    assert set(subdivide(X, labels, SubdivisionParams(), **KW).paths) == {"0", "1", "2"}
    # a small segment as tight as the others but no wider: no split either
    X2, labels2, _ = _small_wide_segment(seed, gap=0.0)
    assert set(subdivide(X2, labels2, SubdivisionParams(), **KW).paths) == {"0", "1", "2"}

