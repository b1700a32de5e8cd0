"""Tests for cluster_marts.selection.gap (Tibshirani, Walther and Hastie 2001) and its use in evaluate_k_grid."""

import itertools

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from cluster_marts.algorithms import registry
from cluster_marts.algorithms.scores import within_ss
from cluster_marts.preprocessing.scaling import fit_scaler, transform
from cluster_marts.selection import gap as gap_module
from cluster_marts.selection.gap import gap_choice, gap_from_logs, gap_statistic, log_w, reference_fit, reference_sets
from cluster_marts.selection.grid import evaluate_k_grid
from cluster_marts.selection.rules import choose_k

BLOBS_X, _ = make_blobs(n_samples=300, centers=4, cluster_std=0.6, random_state=42)
XS = transform(BLOBS_X, fit_scaler(BLOBS_X, "standard", ["x0", "x1"]))
TOY = np.array([[0.0], [1.0], [10.0], [11.0]])


def _grid(X, ks, *, references, seed=42, n_init=10):
    """The providers' grid: k-means at every k, the gap statistic with ``references`` reference sets."""
    return evaluate_k_grid(X, ks, lambda k: gap_module.fit_k("kmeans", X, k, random_state=seed, n_init=n_init),
                           silhouette_sample_size=2000, random_state=seed, gap_references=references,
                           reference_fit=reference_fit("kmeans", seed, n_init))


def _best_1d_split_w(z):
    """Optimal 2-means W of 1-D points by brute force: clusters are contiguous runs of the sorted values."""
    z = np.sort(z.ravel())
    return min(((z[:i] - z[:i].mean()) ** 2).sum() + ((z[i:] - z[i:].mean()) ** 2).sum() for i in range(1, z.size))


def test_within_ss_and_log_w_by_hand():
    assert within_ss(TOY, np.array([0, 0, 1, 1])) == pytest.approx(1.0)  # 4 * 0.5**2
    assert within_ss(TOY, np.zeros(4, int)) == pytest.approx(101.0)  # 2 * (5.5**2 + 4.5**2)
    assert log_w(1.0) == 0.0 and np.isfinite(log_w(0.0))  # zero W is floored, not -inf


def test_gap_from_logs_by_hand():
    gap, s = gap_from_logs([1.0, 0.5], np.array([[2.0, 1.0], [4.0, 1.0]]))
    np.testing.assert_allclose(gap, [2.0, 0.5])  # mean(2, 4) - 1 ; mean(1, 1) - 0.5
    np.testing.assert_allclose(s, [1.0 * np.sqrt(1.5), 0.0])  # std ddof=0 of (2, 4) is 1; B=2
    with pytest.raises(ValueError, match="log_w_ref must have shape"):
        gap_from_logs([1.0], np.empty((0, 1)))


def test_gap_statistic_on_a_tiny_case_by_hand():
    # k=1: W is the total sum of squares; k=2 on 1-D data: the best contiguous split.
    gap, s = gap_statistic(TOY, [1, 2], log_w([101.0, 1.0]), reference_fit("kmeans", 0, 10), n_references=4,
                           random_state=0)
    refs = list(reference_sets(TOY, 4, 0))
    log_ref = np.array([[np.log(((z - z.mean()) ** 2).sum()), np.log(_best_1d_split_w(z))] for z in refs])
    np.testing.assert_allclose(gap, log_ref.mean(axis=0) - np.log([101.0, 1.0]))
    np.testing.assert_allclose(s, log_ref.std(axis=0) * np.sqrt(1 + 1 / 4))
    assert gap[1] > gap[0]  # two tight pairs: far more structure at k=2 than the uniform reference


def test_reference_sets_fill_the_principal_component_box():
    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 5.0, 200)
    line = np.column_stack([x, 2.0 * x + 1.0])  # rank 1: the box is a segment of the line
    for ref in reference_sets(line, 3, random_state=1):
        assert ref.shape == line.shape
        np.testing.assert_allclose(ref[:, 1], 2.0 * ref[:, 0] + 1.0, atol=1e-9)
        assert ref[:, 0].min() >= x.min() - 1e-9 and ref[:, 0].max() <= x.max() + 1e-9
    # in 2-D the draws stay inside the rotated box of the data and cover it
    _, _, vt = np.linalg.svd(XS - XS.mean(axis=0))
    data_proj = np.abs((XS - XS.mean(axis=0)) @ vt.T)  # |.| makes the check sign-free
    ref = next(reference_sets(XS, 1, random_state=5))
    ref_proj = np.abs((ref - XS.mean(axis=0)) @ vt.T)
    assert (ref_proj.max(axis=0) <= data_proj.max(axis=0) + 1e-9).all()
    assert (ref_proj.max(axis=0) >= 0.9 * data_proj.max(axis=0)).all()


def test_reference_sets_do_not_depend_on_svd_signs(monkeypatch):
    expected = np.stack(list(reference_sets(XS, 2, 7)))
    svd = np.linalg.svd

    def flipped(a, *args, **kwargs):  # an equally valid SVD with every singular vector negated
        u, s, vt = svd(a, *args, **kwargs)
        return -u, s, -vt

    monkeypatch.setattr(np.linalg, "svd", flipped)
    np.testing.assert_allclose(np.stack(list(reference_sets(XS, 2, 7))), expected, atol=1e-12)


def test_reference_sets_are_seeded():
    a = np.stack(list(reference_sets(XS, 3, 7)))
    b = np.stack(list(reference_sets(XS, 3, 7)))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a[0], a[1])  # B different draws ...
    assert not np.allclose(a, np.stack(list(reference_sets(XS, 3, 8))))  # ... and the seed matters


@pytest.mark.parametrize(
    "gap, s, eligible, expected",
    [
        ([0.5, 0.9, 0.8], [0.1, 0.1, 0.2], [True, True, True], (3, True)),  # 0.9 >= 0.8 - 0.2
        ([0.5, 0.75, 0.8], [0.1, 0.25, 0.1], [True, True, True], (2, True)),  # 0.5 >= 0.75 - 0.25: equality counts
        ([0.5, 0.9, 0.8], [0.1, 0.1, 0.2], [True, False, True], (4, False)),  # k=3 not eligible, k=4 has no k+1
        ([0.1, 0.2, 0.3], [0.01, 0.01, 0.01], [True, True, True], (4, False)),  # increasing: fall back to max
        ([0.3, 0.2, 0.1], [0.0, 0.0, 0.0], [False, False, False], (None, False)),
    ],
)
def test_gap_choice(gap, s, eligible, expected):
    assert gap_choice([2, 3, 4], gap, s, eligible) == expected


def test_gap_rule_picks_four_blobs_and_is_deterministic():
    scores = _grid(XS, range(2, 8), references=10)
    out = choose_k(scores, "gap")
    assert out.loc[out["is_chosen"], "k"].item() == 4
    assert out.loc[out["is_gap_best"], "k"].tolist() == [4]
    assert (out["selection_rule"] == "gap").all() and (out["gap_references"] == 10).all()
    assert out["gap"].idxmax() == out.index[out["k"] == 4][0] and (out["gap_sd"] > 0).all()
    again = _grid(XS, range(2, 8), references=10)
    np.testing.assert_array_equal(again[["gap", "gap_sd"]].to_numpy(), scores[["gap", "gap_sd"]].to_numpy())
    other_seed = _grid(XS, range(2, 8), references=10, seed=1)
    assert not np.allclose(other_seed["gap"], scores["gap"])


def test_evaluate_k_grid_uses_within_cluster_sum_of_squares_of_the_data():
    X6 = np.array([[0.0], [1.0], [10.0], [11.0], [20.0], [21.0]])
    scores = _grid(X6, [2, 3], references=3)
    # W_2 = 0.5 + (5.5**2 + 4.5**2) * 2 = 101.5 (either pair split off); W_3 = 3 * 0.5 = 1.5
    gap, s = gap_statistic(X6, [2, 3], log_w([101.5, 1.5]), reference_fit("kmeans", 42, 10), n_references=3,
                           random_state=42)
    np.testing.assert_allclose(scores["gap"], gap)
    np.testing.assert_allclose(scores["gap_sd"], s)


class _CountingFit:
    """The registry's ``fit_k``, recording ``(n_samples, k, random_state, n_init)`` of every call."""

    def __init__(self):
        self.calls = []

    def __call__(self, name, X, k, *, random_state, n_init):
        self.calls.append((X.shape[0], k, random_state, n_init))
        return registry.fit_k(name, X, k, random_state=random_state, n_init=n_init)


@pytest.mark.parametrize("n_references", [0, 2])
def test_fit_count_and_reference_n_init(n_references, monkeypatch):
    counter = _CountingFit()
    monkeypatch.setattr(gap_module, "fit_k", counter)  # the data fits (_grid) and the reference fits
    scores = _grid(XS, [2, 3, 4], references=n_references, seed=3, n_init=5)
    ks = [2, 3, 4]
    data_calls = [(300, k, 3, 5) for k in ks]
    reference_calls = [(300, k, 3, 3) for _, k in itertools.product(range(n_references), ks)]  # min(5, 3)
    assert counter.calls == data_calls + reference_calls
    assert scores["gap"].isna().all() == (n_references == 0)
    assert scores["gap_sd"].isna().all() == (n_references == 0)
    assert (scores["gap_references"] == n_references).all() and scores["gap_references"].dtype == np.int64
