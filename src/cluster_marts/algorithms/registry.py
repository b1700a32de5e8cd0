"""Clustering algorithms behind one signature.

Every entry of :data:`ALGORITHMS` is a function
``fit_k(X, k, random_state, n_init) -> FitResult`` working on already
scaled, finite data ("prior validation of data is assumed").
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

from cluster_marts.errors import InputDataError, SettingsError

__all__ = [
    "FitResult", "ALGORITHMS", "get_algorithm", "fit_kmeans", "fit_gmm", "fit_agglomerative",
    "member_means", "within_ss",
]


@dataclass(eq=False)
class FitResult:
    """Result of fitting one algorithm at one k.

    Attributes
    ----------
    labels : ndarray of shape (n_samples,), dtype int64
        Cluster of each row, in ``0..k-1``.
    centers : ndarray of shape (k, n_features)
        Centroids (k-means), component means (GMM) or member means
        (agglomerative).
    inertia : float
        Sum of squared euclidean distances of rows to their own centre.
    """

    labels: np.ndarray
    centers: np.ndarray
    inertia: float


FitFunction = Callable[[np.ndarray, int, int, int], FitResult]


def _inertia(X: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> float:
    return float(((X - centers[labels]) ** 2).sum())


def member_means(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Mean of the rows in each cluster (NaN row for an empty cluster).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)
        Cluster ids in ``0..k-1``.
    k : int

    Returns
    -------
    ndarray of shape (k, n_features)
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    sums = np.zeros((k, X.shape[1]))
    np.add.at(sums, labels, X)
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts[:, None]


def within_ss(X: np.ndarray, labels: np.ndarray) -> float:
    """Pooled within-cluster sum of squares W: squared distances to member means.

    This is Tibshirani et al.'s ``W_k``; for converged k-means it equals the
    inertia.

    Examples
    --------
    >>> within_ss(np.array([[0.0], [1.0], [10.0], [11.0]]), np.array([0, 0, 1, 1]))
    1.0
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    means = member_means(X, labels, int(labels.max()) + 1 if labels.size else 0)
    return float(((X - means[labels]) ** 2).sum())


def _check_k(X: np.ndarray, k: int) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise InputDataError(f"X must be 2-D, got shape {X.shape}.")
    if not 1 <= k <= X.shape[0]:
        raise InputDataError(f"n_samples={X.shape[0]} should be >= k={k} and k should be >= 1.")
    return X


def _result(X: np.ndarray, labels: np.ndarray, centers: np.ndarray, k: int, name: str) -> FitResult:
    labels = np.asarray(labels, dtype=np.int64)
    n_found = np.unique(labels).size
    if n_found < k:
        warnings.warn(
            f"{name} found {n_found} distinct clusters for k={k}; some clusters are empty.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return FitResult(labels=labels, centers=np.asarray(centers, dtype=np.float64), inertia=_inertia(X, labels, centers))


def fit_kmeans(X: np.ndarray, k: int, random_state: int, n_init: int) -> FitResult:
    """K-means (Lloyd, k-means++ init) with ``n_init`` seeded restarts.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    k : int
    random_state : int
    n_init : int

    Returns
    -------
    FitResult
    """
    X = _check_k(X, k)
    model = KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(X)
    return _result(X, model.labels_, model.cluster_centers_, k, "kmeans")


def fit_gmm(X: np.ndarray, k: int, random_state: int, n_init: int) -> FitResult:
    """Gaussian mixture with full covariances; rows go to their most likely component.

    ``centers`` are the component means.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    k : int
    random_state : int
    n_init : int

    Returns
    -------
    FitResult
    """
    X = _check_k(X, k)
    model = GaussianMixture(
        n_components=k, covariance_type="full", random_state=random_state, n_init=n_init, reg_covar=1e-6
    ).fit(X)
    return _result(X, model.predict(X), model.means_, k, "gmm")


def fit_agglomerative(X: np.ndarray, k: int, random_state: int, n_init: int) -> FitResult:
    """Ward agglomerative clustering; ``centers`` are the member means.

    Deterministic, so ``random_state`` and ``n_init`` are unused.  Memory and
    time grow as O(n_samples**2): meant for up to a few tens of thousands of rows.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    k : int
    random_state : int
        Unused.
    n_init : int
        Unused.

    Returns
    -------
    FitResult
    """
    X = _check_k(X, k)
    labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(X)
    labels = np.asarray(labels, dtype=np.int64)
    return _result(X, labels, member_means(X, labels, k), k, "agglomerative")


ALGORITHMS: dict[str, FitFunction] = {
    "kmeans": fit_kmeans,
    "gmm": fit_gmm,
    "agglomerative": fit_agglomerative,
}


def get_algorithm(name: str) -> FitFunction:
    """Look up a fit function in :data:`ALGORITHMS`.

    Parameters
    ----------
    name : str

    Returns
    -------
    callable

    Raises
    ------
    SettingsError
        Unknown name.
    """
    try:
        return ALGORITHMS[name]
    except KeyError:
        raise SettingsError(
            f"setting 'algorithm'={name!r} is not allowed; use one of: {', '.join(sorted(ALGORITHMS))} "
            "(edit config.meta in the model's YAML)"
        ) from None
