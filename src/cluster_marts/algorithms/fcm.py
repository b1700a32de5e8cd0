"""Fuzzy c-means (Bezdek), vectorised numpy.

Guards against the classic pitfalls (see ARCHITECTURE.md):

* data are ``(n_samples, n_features)`` (scikit-fuzzy wants the transpose);
* the fuzzifier ``m`` must be > 1;
* a point sitting on a centre (distance 0) gets a one-hot membership row
  (first such centre), never a division by zero;
* memberships are computed in log space, so ``m`` close to 1 cannot overflow;
* the stopping rule is ``max |u_new - u| < tol``: an element-wise tolerance
  that does not grow with the number of rows (a Frobenius norm would);
* randomness comes from :func:`numpy.random.default_rng` seeded per restart,
  never the global RNG.

Several seeded restarts are run and the one with the lowest objective
``J = sum(u**m * d**2)`` is kept (:func:`fit_fcm`).
:class:`FuzzyCMeansClusterer` is the estimator over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cluster_marts.algorithms.base import ClusterEstimator, FitState, Rules
from cluster_marts.algorithms.constraints import param_constraints
from cluster_marts.algorithms.scores import center_distances

__all__ = [
    "FuzzyCMeansClusterer", "FcmResult", "fcm_memberships", "fcm_centers", "fcm_objective", "fit_fcm",
    "partition_coefficient", "partition_entropy",
]


@dataclass(eq=False)
class FcmResult:
    """One fuzzy c-means fit.

    Attributes
    ----------
    u : ndarray of shape (n_samples, k)
        Memberships; every row sums to 1.
    centers : ndarray of shape (k, n_features)
    objective : float
        ``J = sum(u**m * d**2)``.
    n_iter : int
        Iterations of the kept restart.
    converged : bool
        Whether the kept restart met ``max |Δu| < tol`` before ``max_iter``.
    """

    u: np.ndarray
    centers: np.ndarray
    objective: float
    n_iter: int
    converged: bool


def _check_m(m: float) -> None:
    if not m > 1.0:
        raise ValueError(f"fuzzifier m must be > 1, got {m!r}; set fcm.m to e.g. 2.0")


def _distances(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    sq = (X * X).sum(1)[:, None] - 2.0 * X @ centers.T + (centers * centers).sum(1)[None, :]
    return np.sqrt(np.maximum(sq, 0.0))


def fcm_memberships(d: np.ndarray, m: float) -> np.ndarray:
    """Memberships from distances: ``u_ij = 1 / sum_l (d_ij / d_il) ** (2 / (m - 1))``.

    Parameters
    ----------
    d : ndarray of shape (n_samples, k)
        Non-negative distances of every row to every centre.
    m : float
        Fuzzifier, > 1.

    Returns
    -------
    ndarray of shape (n_samples, k)
        Rows sum to 1; a row with a zero distance is one-hot on its first
        zero-distance centre.

    Examples
    --------
    >>> fcm_memberships(np.array([[1.0, 1.0], [0.0, 2.0]]), 2.0).tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    _check_m(m)
    d = np.asarray(d, dtype=np.float64)
    u = np.zeros_like(d)
    on_centre = (d <= 0.0).any(axis=1)
    if on_centre.any():
        u[np.flatnonzero(on_centre), np.argmax(d[on_centre] <= 0.0, axis=1)] = 1.0
    rest = ~on_centre
    if rest.any():
        logits = -(2.0 / (m - 1.0)) * np.log(d[rest])
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        u[rest] = e / e.sum(axis=1, keepdims=True)
    return u


def fcm_centers(X: np.ndarray, u: np.ndarray, m: float) -> np.ndarray:
    """Centres ``(u**m)^T X / sum(u**m)``, shape (k, n_features)."""
    um = np.asarray(u, dtype=np.float64) ** m
    return (um.T @ X) / np.maximum(um.sum(axis=0), np.finfo(np.float64).tiny)[:, None]


def fcm_objective(X: np.ndarray, u: np.ndarray, centers: np.ndarray, m: float) -> float:
    """``J = sum(u**m * d**2)``."""
    return float(((u**m) * _distances(X, centers) ** 2).sum())


def partition_coefficient(u: np.ndarray) -> float:
    """Bezdek's partition coefficient ``PC = sum(u**2) / n`` (1/k = fuzziest, 1 = crisp).

    Examples
    --------
    >>> partition_coefficient(np.array([[1.0, 0.0], [0.5, 0.5]]))
    0.75
    """
    u = np.asarray(u, dtype=np.float64)
    return float((u**2).sum() / u.shape[0])


def partition_entropy(u: np.ndarray) -> float:
    """Partition entropy ``PE = -sum(u log u) / n`` with ``0 log 0 = 0`` (0 = crisp).

    Examples
    --------
    >>> round(partition_entropy(np.array([[1.0, 0.0], [0.5, 0.5]])), 6)
    0.346574
    """
    u = np.asarray(u, dtype=np.float64)
    logs = np.log(np.where(u > 0.0, u, 1.0))
    return float(-(u * logs).sum() / u.shape[0])


def _one_run(X: np.ndarray, u: np.ndarray, m: float, max_iter: int, tol: float) -> FcmResult:
    n_iter, converged = 0, False
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (read after the loop)
        centers = fcm_centers(X, u, m)
        u_new = fcm_memberships(_distances(X, centers), m)
        delta = float(np.abs(u_new - u).max())
        u = u_new
        if delta < tol:
            converged = True
            break
    centers = fcm_centers(X, u, m)
    return FcmResult(u, centers, fcm_objective(X, u, centers, m), n_iter, converged)


def fit_fcm(
    X: np.ndarray,
    k: int,
    *,
    m: float = 2.0,
    max_iter: int = 150,
    tol: float = 1e-5,
    n_init: int = 3,
    random_state: int = 0,
) -> FcmResult:
    """Fuzzy c-means with ``n_init`` seeded restarts, keeping the lowest objective.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Scaled, finite data.
    k : int
        Number of clusters, ``1 <= k <= n_samples``.
    m : float, default=2.0
        Fuzzifier, > 1.
    max_iter : int, default=150
    tol : float, default=1e-5
        Stop when the largest change of any membership is below ``tol``.
    n_init : int, default=3
        Restarts; restart ``i`` starts from Dirichlet(1, ..., 1) memberships
        drawn with the ``i``-th child of ``SeedSequence(random_state)``.
    random_state : int, default=0

    Returns
    -------
    FcmResult
    """
    _check_m(m)
    X = np.asarray(X, dtype=np.float64)
    if not 1 <= k <= X.shape[0]:
        raise ValueError(f"k={k} must lie in 1..n_samples={X.shape[0]}")
    if tol <= 0:
        raise ValueError(f"tol must be > 0, got {tol!r}")
    best: FcmResult | None = None
    for seed in np.random.SeedSequence(random_state).spawn(max(1, n_init)):
        u0 = np.random.default_rng(seed).dirichlet(np.ones(k), size=X.shape[0])
        run = _one_run(X, u0, m, max_iter, tol)
        if best is None or run.objective < best.objective:
            best = run
    assert best is not None
    best.u = best.u / best.u.sum(axis=1, keepdims=True)
    return best


class FuzzyCMeansClusterer(ClusterEstimator):
    """Fuzzy c-means (:func:`fit_fcm`): soft memberships from distances to the centres.

    Parameters
    ----------
    n_clusters : int, default=8
    m : float, default=2.0
        Fuzzifier, > 1.
    max_iter : int, default=150
    tol : float, default=1e-5
        Stop when the largest change of any membership is below ``tol``.
    n_init : int, default=3
    random_state : int or None, default=0

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base`.  ``cluster_centers_`` are the
    FCM centres of the kept run; ``memberships_`` are the membership formula
    (:func:`fcm_memberships`) applied to them, one last update as k-means
    does a last assignment step, so ``memberships_`` equals
    ``predict_memberships(X)`` on the training rows and ``labels_`` (its
    argmax, which is the nearest centre) equals ``predict(X)``.  They differ
    from the run's last iterate by less than ``tol``.  ``metrics_`` holds
    ``partition_coefficient``, ``partition_entropy`` (of ``memberships_``)
    and ``objective`` (``J``).

    Examples
    --------
    >>> fit = FuzzyCMeansClusterer(2, random_state=0).fit(np.array([[0.0], [0.1], [4.0], [4.1]]))
    >>> fit.predict_memberships([[2.05]]).round(6).tolist()
    [[0.5, 0.5]]
    """

    algorithm = "fcm"
    soft = True
    _param_rules: ClassVar[Rules] = param_constraints("fcm", "n_clusters", "m", "max_iter", "tol", "n_init",
                                                      "random_state")

    def __init__(self, n_clusters: int = 8, *, m: float = 2.0, max_iter: int = 150, tol: float = 1e-5, n_init: int = 3,
                 random_state: int | None = 0):
        self.n_clusters = n_clusters
        self.m = m
        self.max_iter = max_iter
        self.tol = tol
        self.n_init = n_init
        self.random_state = random_state

    def _fit(self, X: np.ndarray) -> FitState:
        run = fit_fcm(X, self.n_clusters, m=self.m, max_iter=self.max_iter, tol=self.tol, n_init=self.n_init,
                      random_state=self.random_state)
        u = fcm_memberships(center_distances(X, run.centers), self.m)
        metrics = {"partition_coefficient": partition_coefficient(u), "partition_entropy": partition_entropy(u),
                   "objective": fcm_objective(X, u, run.centers, self.m)}
        return FitState(u.argmax(axis=1), run.centers, u, run.n_iter, run.converged, metrics)

    def predict(self, X):
        """Largest membership of each row (the nearest centre)."""
        return self.predict_memberships(X).argmax(axis=1).astype(np.int64)

    def predict_memberships(self, X):
        """``u_ij = 1 / sum_l (d_ij / d_il) ** (2 / (m - 1))`` on the fitted centres; rows sum to 1."""
        return fcm_memberships(self.transform(X), self.m)
