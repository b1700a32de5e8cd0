"""Workbench algorithm registry: confidence definitions and noise handling."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import multivariate_normal
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.workbench.menu import margin_confidence, run_algorithm
from cluster_marts.adapters.workbench.recommend import suggest_eps
from cluster_marts.errors import InputDataError

X, _ = make_blobs(120, centers=3, cluster_std=0.5, random_state=0)


# three overlapping blobs, so posteriors and memberships spread well below 1
PLANTED = np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]])
XO, YO = make_blobs(300, centers=PLANTED, cluster_std=1.0, random_state=0)


def test_gmm_confidence_is_max_posterior():
    fit = run_algorithm("gmm", XO, 3, {}, 7)
    assert adjusted_rand_score(YO, fit.labels) >= 0.8
    # Bayes' rule with scipy's normal densities and the fitted weights, means and covariances
    mix = fit.estimator.model_
    joint = np.column_stack([w * multivariate_normal(mu, cov).pdf(XO)
                             for w, mu, cov in zip(mix.weights_, mix.means_, mix.covariances_)])
    np.testing.assert_allclose(fit.confidence, (joint / joint.sum(axis=1, keepdims=True)).max(axis=1), atol=1e-9)
    assert fit.confidence.min() < 0.7 and np.median(fit.confidence) > 0.9


def test_fcm_confidence_is_max_membership_at_the_fcm_fixed_point():
    fit = run_algorithm("fcm", XO, 3, {"m": 1.8}, 5)
    # textbook alternating FCM updates from the planted centres, to a tight fixed point
    m, centres = 1.8, PLANTED.copy()
    for _ in range(1000):
        d = np.linalg.norm(XO[:, None, :] - centres[None, :, :], axis=2)
        u = 1.0 / ((d[:, :, None] / d[:, None, :]) ** (2.0 / (m - 1.0))).sum(axis=2)
        new = (u**m).T @ XO / (u**m).sum(axis=0)[:, None]
        if np.abs(new - centres).max() < 1e-13:
            break
        centres = new
    np.testing.assert_allclose(fit.confidence, u.max(axis=1), atol=1e-4)  # the fit stops at tol=1e-5
    assert fit.confidence.min() < 0.6


def test_margin_confidence_and_centres_are_member_means():
    fit = run_algorithm("kmeans", X, 3, {}, 1)
    for c in range(3):
        assert np.allclose(fit.centres[c], X[fit.labels == c].mean(axis=0))
    assert np.allclose(fit.confidence, margin_confidence(X, fit.centres))


def test_dbscan_core_border_noise():
    Xn = np.r_[X, [[50.0, 50.0]]]
    fit = run_algorithm("dbscan", Xn, None, {"eps": 0.6, "min_samples": 5}, 0)
    assert fit.labels[-1] == -1 and fit.confidence[-1] == 0.0
    assert set(np.unique(fit.confidence)) <= {0.0, 0.5, 1.0}


def test_k_outside_range_is_an_error():
    with pytest.raises(InputDataError, match="k=1 must lie in 2..n_samples-1"):
        run_algorithm("kmeans", X, 1)


def test_eps_suggestion_positive_and_finite():
    eps = suggest_eps(X, 5)
    assert np.isfinite(eps) and 0 < eps < 5
