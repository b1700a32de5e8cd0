"""Workbench algorithm registry: confidence definitions and noise handling."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture

from cluster_marts.errors import InputDataError
from cluster_marts.algorithms.fcm import fit_fcm
from cluster_marts.algorithms.menu import margin_confidence, run_algorithm
from cluster_marts.selection.recommend import suggest_eps

X, _ = make_blobs(120, centers=3, cluster_std=0.5, random_state=0)


def test_gmm_confidence_is_max_posterior():
    fit = run_algorithm("gmm", X, 3, {}, 7)
    proba = GaussianMixture(3, n_init=3, max_iter=200, random_state=7).fit(X).predict_proba(X)
    assert np.allclose(np.sort(fit.confidence), np.sort(proba.max(axis=1)))


def test_fcm_confidence_is_max_membership_of_project_fcm():
    fit = run_algorithm("fcm", X, 3, {"m": 1.8}, 5)
    u = fit_fcm(X, 3, m=1.8, random_state=5).u
    assert np.allclose(fit.confidence, u.max(axis=1))


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
