"""Gaussian mixture: posterior probabilities as soft memberships, and their uncertainty summaries.

:class:`GaussianMixtureClusterer` is the only place in the package that
builds scikit-learn's ``GaussianMixture``.  Its ``ConvergenceWarning`` is
silenced and reported as ``converged_ = False`` instead.  :func:`uncertainty`
summarises a posterior: how many rows are confidently placed and how many sit
between segments.
"""

from __future__ import annotations

import warnings
from typing import ClassVar

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from sklearn.utils.validation import check_is_fitted

from cluster_marts.algorithms.base import ClusterEstimator, FitState, Rules
from cluster_marts.algorithms.constraints import param_constraints

__all__ = ["GaussianMixtureClusterer", "uncertainty", "row_entropy"]


class GaussianMixtureClusterer(ClusterEstimator):
    """Gaussian mixture (EM); rows go to their most probable component.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of components.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    n_init : int, default=1
    max_iter : int, default=100
    reg_covar : float, default=1e-6
    random_state : int or None, default=0

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base`.  ``cluster_centers_`` are the
    component means, ``memberships_`` the posteriors (``predict_proba``,
    renormalised to sum to 1), ``labels_`` their argmax, ``metrics_`` holds
    ``bic``, ``aic`` and ``log_likelihood`` (total, ``score(X) * n_samples``).
    model_ : sklearn.mixture.GaussianMixture
        The fitted mixture (weights, covariances).
    """

    algorithm = "gmm"
    soft = True
    _param_rules: ClassVar[Rules] = param_constraints(
        "gmm", "n_clusters", "covariance_type", "n_init", "max_iter", "reg_covar", "random_state")

    def __init__(self, n_clusters: int = 8, *, covariance_type: str = "full", n_init: int = 1, max_iter: int = 100,
                 reg_covar: float = 1e-6, random_state: int | None = 0):
        self.n_clusters = n_clusters
        self.covariance_type = covariance_type
        self.n_init = n_init
        self.max_iter = max_iter
        self.reg_covar = reg_covar
        self.random_state = random_state

    def _fit(self, X: np.ndarray) -> FitState:
        model = GaussianMixture(
            n_components=self.n_clusters, covariance_type=self.covariance_type, max_iter=self.max_iter,
            n_init=self.n_init, reg_covar=self.reg_covar, random_state=self.random_state,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X)
        self.model_ = model
        proba = self._proba(X)
        metrics = {"bic": float(model.bic(X)), "aic": float(model.aic(X)),
                   "log_likelihood": float(model.score(X) * X.shape[0])}
        return FitState(proba.argmax(axis=1), model.means_, proba, int(model.n_iter_), bool(model.converged_), metrics)

    def _proba(self, X: np.ndarray) -> np.ndarray:
        proba = self.model_.predict_proba(X)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Most probable component of each row (argmax of :meth:`predict_memberships`)."""
        return self.predict_memberships(X).argmax(axis=1).astype(np.int64)

    def predict_memberships(self, X):
        """Posterior probabilities of the components, shape (n_samples, n_clusters_)."""
        check_is_fitted(self, "model_")
        return self._proba(self._check_input(X, reset=False))


def row_entropy(p: np.ndarray) -> np.ndarray:
    """``-sum_j p_ij log p_ij`` of every row, with ``0 log 0 = 0``."""
    p = np.asarray(p, dtype=np.float64)
    return -(p * np.log(np.where(p > 0.0, p, 1.0))).sum(axis=1)


def uncertainty(proba: np.ndarray, *, high_confidence: float, low_confidence: float) -> dict[str, float | int]:
    """Summaries of posterior uncertainty.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, k)
    high_confidence : float
        A row is confident when its largest probability is ``>= high_confidence``.
    low_confidence : float
        A row is uncertain when its largest probability is ``< low_confidence``.

    Returns
    -------
    dict
        ``avg_max_probability``, ``high_confidence_count``,
        ``low_confidence_count``, ``avg_entropy`` (mean row entropy, nats).

    Examples
    --------
    >>> u = uncertainty(np.array([[0.95, 0.05], [0.5, 0.5]]), high_confidence=0.9, low_confidence=0.6)
    >>> u["high_confidence_count"], u["low_confidence_count"]
    (1, 1)
    """
    top = np.asarray(proba, dtype=np.float64).max(axis=1)
    return {
        "avg_max_probability": float(top.mean()),
        "high_confidence_count": int((top >= high_confidence).sum()),
        "low_confidence_count": int((top < low_confidence).sum()),
        "avg_entropy": float(row_entropy(proba).mean()),
    }
