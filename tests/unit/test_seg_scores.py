"""Balance-aware scores and GMM uncertainty of cluster_marts.adapters.customers."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from threadpoolctl import threadpool_limits

from cluster_marts.algorithms.gmm import GaussianMixtureClusterer, row_entropy, uncertainty
from cluster_marts.errors import InputDataError
from cluster_marts.selection.balance import balance_score, combined_score
from cluster_marts.selection.grid import GridFit, evaluate_k_grid
from cluster_marts.selection.rules import choose_k


@pytest.fixture(autouse=True)
def _one_thread():
    """Native thread pools off: these fits are tiny and OpenMP spin-waits on a busy CI box."""
    with threadpool_limits(limits=1):
        yield


def test_balance_formula_by_hand():
    # sizes 60/30/10: mean 100/3, population std sqrt(((80/3)^2 + (10/3)^2 + (70/3)^2) / 3) = 20.548
    expected = 1 - np.sqrt(((60 - 100 / 3) ** 2 + (30 - 100 / 3) ** 2 + (10 - 100 / 3) ** 2) / 3) / (100 / 3)
    assert balance_score([60, 30, 10]) == pytest.approx(expected)
    assert balance_score([60, 30, 10]) == pytest.approx(0.3835, abs=1e-4)
    assert balance_score([25, 25, 25, 25]) == 1.0
    assert balance_score([97, 1, 1, 1]) == 0.0  # std/mean = 1.67 is capped at 1
    assert balance_score([90, 10]) == pytest.approx(0.2)  # std 40 (ddof=0), mean 50


def test_combined_score_uses_normalised_weights():
    assert combined_score(0.5, 1.0, (0.4, 0.6)) == pytest.approx(0.8)
    assert combined_score(float("nan"), 0.7, (0.0, 1.0)) == pytest.approx(0.7)  # zero weight ignores NaN


def test_grid_counts_empty_segments():
    # dominant labels that leave segment 2 of k=3 empty: sizes 2, 2, 0
    X = np.array([[0.0], [0.1], [5.0], [5.1]])
    row = evaluate_k_grid(X, [3], lambda k: GridFit(np.array([0, 0, 1, 1])), silhouette_sample_size=100,
                          random_state=0, balance_weights=(0.4, 0.6)).iloc[0]
    assert row["largest_share"] == 0.5 and row["smallest_cluster_share"] == 0.0
    assert row["balance"] == pytest.approx(1 - np.sqrt(8 / 9) / (4 / 3))  # std of (2, 2, 0) over its mean
    assert row["silhouette_method"] == "full"
    assert row["combined_score"] == pytest.approx(0.4 * row["silhouette"] + 0.6 * row["balance"])


def test_balanced_choice_prefers_smallest_k_on_ties_and_skips_nan():
    def pick(combined):
        grid = pd.DataFrame({"k": range(2, 2 + len(combined)), "inertia": 1.0, "combined_score": combined})
        return choose_k(grid, "balanced").query("is_chosen")["k"].item()

    assert pick([0.3, 0.7, 0.7]) == 3
    assert pick([float("nan"), 0.1]) == 3
    with pytest.raises(InputDataError, match="combined_score is undefined for every k"):
        pick([float("nan")])


def test_gmm_uncertainty_by_hand():
    proba = np.array([[0.95, 0.05], [0.9, 0.1], [0.7, 0.3], [0.5, 0.5], [0.55, 0.45], [1.0, 0.0]])
    out = uncertainty(proba, high_confidence=0.9, low_confidence=0.6)
    assert out["high_confidence_count"] == 3  # 0.95, 0.9 (inclusive), 1.0
    assert out["low_confidence_count"] == 2  # 0.5, 0.55
    assert out["avg_max_probability"] == pytest.approx((0.95 + 0.9 + 0.7 + 0.5 + 0.55 + 1.0) / 6)
    h = lambda p: -(p * np.log(p) + (1 - p) * np.log(1 - p))  # noqa: E731
    expected = (h(0.95) + h(0.9) + h(0.7) + h(0.5) + h(0.55) + 0.0) / 6
    assert out["avg_entropy"] == pytest.approx(expected)
    assert row_entropy(proba)[-1] == 0.0


def test_gmm_fit_probabilities_and_metrics():
    X, _ = make_blobs(n_samples=200, centers=3, random_state=1)
    gmm = GaussianMixtureClusterer(3, covariance_type="diag", max_iter=200, n_init=2, random_state=0)
    fit = gmm.fit(X)
    np.testing.assert_allclose(fit.memberships_.sum(axis=1), 1.0, atol=1e-9)
    assert fit.converged_ and fit.n_iter_ >= 1
    m = fit.metrics_
    # BIC = -2 logL + p log n; AIC = -2 logL + 2p with p = 3*2 means + 3*2 variances + 2 weights = 14
    assert m["bic"] == pytest.approx(-2 * m["log_likelihood"] + 14 * np.log(200))
    assert m["aic"] == pytest.approx(-2 * m["log_likelihood"] + 28)
    again = GaussianMixtureClusterer(3, covariance_type="diag", max_iter=200, n_init=2, random_state=0).fit(X)
    np.testing.assert_array_equal(fit.memberships_, again.memberships_)
