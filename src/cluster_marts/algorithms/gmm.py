"""Gaussian mixture segmentation: posterior probabilities as soft memberships.

Wraps :class:`sklearn.mixture.GaussianMixture`; its ``ConvergenceWarning`` is
silenced and reported as ``converged = False`` instead.  Uncertainty metrics
summarise the posterior: how many rows are confidently placed and how many sit
between segments.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

__all__ = ["GmmFit", "fit_gmm", "uncertainty", "row_entropy"]


@dataclass(eq=False)
class GmmFit:
    """One Gaussian mixture fit.

    Attributes
    ----------
    proba : ndarray of shape (n_samples, k)
        Posterior probabilities (``predict_proba``), rows sum to 1.
    means : ndarray of shape (k, n_features)
    bic, aic, log_likelihood : float
        ``log_likelihood`` is the total (``score(X) * n_samples``).
    converged : bool
    n_iter : int
    """

    proba: np.ndarray
    means: np.ndarray
    bic: float
    aic: float
    log_likelihood: float
    converged: bool
    n_iter: int


def fit_gmm(
    X: np.ndarray,
    k: int,
    *,
    covariance_type: str = "full",
    max_iter: int = 200,
    n_init: int = 2,
    random_state: int = 0,
) -> GmmFit:
    """Fit a Gaussian mixture with ``k`` components.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    k : int
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    max_iter : int, default=200
    n_init : int, default=2
    random_state : int, default=0

    Returns
    -------
    GmmFit
    """
    X = np.asarray(X, dtype=np.float64)
    model = GaussianMixture(
        n_components=k, covariance_type=covariance_type, max_iter=max_iter, n_init=n_init,
        random_state=random_state, reg_covar=1e-6,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
    proba = model.predict_proba(X)
    proba = proba / proba.sum(axis=1, keepdims=True)
    return GmmFit(
        proba=proba,
        means=np.asarray(model.means_, dtype=np.float64),
        bic=float(model.bic(X)),
        aic=float(model.aic(X)),
        log_likelihood=float(model.score(X) * X.shape[0]),
        converged=bool(model.converged_),
        n_iter=int(model.n_iter_),
    )


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
