"""The one registry of clustering methods: a name -> an estimator class.

Every domain and the workbench build their estimators here
(:func:`make_estimator`); every estimator has the fitted state and scoring
methods of :class:`~cluster_marts.algorithms.base.ClusterEstimator`.

=================== ============================================== =========================
name                class                                          family module
=================== ============================================== =========================
``kmeans``          :class:`~.kmeans.KMeansClusterer`              centroid (kmeans.py)
``minibatch_kmeans``:class:`~.kmeans.MiniBatchKMeansClusterer`     centroid (kmeans.py)
``gmm``             :class:`~.gmm.GaussianMixtureClusterer`        mixture (gmm.py)
``fcm``             :class:`~.fcm.FuzzyCMeansClusterer`            fuzzy (fcm.py)
``agglomerative``   :class:`~.transductive.AgglomerativeClusterer` linkage (transductive.py)
``spectral``        :class:`~.transductive.SpectralClusterer`      graph (transductive.py)
``dbscan``          :class:`~.density.DBSCANClusterer`             density (density.py)
``hdbscan``         :class:`~.density.HDBSCANClusterer`            density (density.py)
``optics``          :class:`~.density.OPTICSClusterer`             density (density.py)
``neural``          :class:`~.autoencoder.AutoencoderKMeansClusterer` embedding (autoencoder.py)
=================== ============================================== =========================

:func:`get_algorithm` is the older functional interface of the provider and
demand k grid, ``fit(X, k, random_state, n_init) -> FitResult``, kept as a
thin layer over :func:`make_estimator` for :mod:`cluster_marts.selection`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from cluster_marts.algorithms.autoencoder import AutoencoderKMeansClusterer
from cluster_marts.algorithms.base import ClusterEstimator
from cluster_marts.algorithms.density import DBSCANClusterer, HDBSCANClusterer, OPTICSClusterer
from cluster_marts.algorithms.fcm import FuzzyCMeansClusterer
from cluster_marts.algorithms.gmm import GaussianMixtureClusterer
from cluster_marts.algorithms.kmeans import KMeansClusterer, MiniBatchKMeansClusterer
from cluster_marts.algorithms.scores import member_means, within_ss
from cluster_marts.algorithms.transductive import AgglomerativeClusterer, SpectralClusterer
from cluster_marts.errors import SettingsError

__all__ = [
    "ALGORITHMS", "DENSITY_ALGORITHMS", "make_estimator", "fit_k", "FitResult", "FitFunction", "FIT_ALGORITHMS",
    "get_algorithm", "member_means", "within_ss",
]

ALGORITHMS: dict[str, type[ClusterEstimator]] = {
    cls.algorithm: cls
    for cls in (
        KMeansClusterer, MiniBatchKMeansClusterer, GaussianMixtureClusterer, FuzzyCMeansClusterer,
        AgglomerativeClusterer, SpectralClusterer, DBSCANClusterer, HDBSCANClusterer, OPTICSClusterer,
        AutoencoderKMeansClusterer,
    )
}
DENSITY_ALGORITHMS = tuple(name for name, cls in ALGORITHMS.items() if cls.density)


def _unknown(what: str, value: Any, allowed: Any) -> SettingsError:
    return SettingsError(f"{what}={value!r} is not allowed; use one of: {', '.join(sorted(allowed))}")


def _accepted(cls: type[ClusterEstimator]) -> list[str]:
    return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]


def make_estimator(name: str, n_clusters: int | None = None, *, random_state: int | None = 0,
                   **params: Any) -> ClusterEstimator:
    """Build the estimator registered under ``name``, its parameters checked.

    Parameters
    ----------
    name : str
        A key of :data:`ALGORITHMS`.
    n_clusters : int or None
        Required by every method except the density ones, which find it
        themselves and must get None.
    random_state : int or None, default=0
        Passed to methods that use randomness; ignored by the deterministic
        ones (agglomerative, dbscan, hdbscan, optics).
    **params
        Method parameters (constructor keywords of the class).

    Returns
    -------
    ClusterEstimator
        Unfitted.

    Raises
    ------
    SettingsError
        Unknown name, unknown parameter, value outside its allowed values,
        ``n_clusters`` missing (or given to a density method).

    Examples
    --------
    >>> make_estimator("fcm", 3, random_state=1, m=1.5)
    FuzzyCMeansClusterer(m=1.5, n_clusters=3, random_state=1)
    """
    if name not in ALGORITHMS:
        raise _unknown("setting 'algorithm'", name, ALGORITHMS)
    cls = ALGORITHMS[name]
    accepted = _accepted(cls)
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        allowed = [p for p in accepted if p not in ("n_clusters", "random_state")]
        raise SettingsError(
            f"{name}: unknown parameter(s) {', '.join(unknown)}; allowed: {', '.join(allowed) or 'none'}"
        )
    if cls.density and n_clusters is not None:
        raise SettingsError(f"{name}: n_clusters={n_clusters!r} is not allowed (the method finds the number of "
                            "clusters itself); leave it unset")
    if not cls.density:
        if n_clusters is None:
            raise SettingsError(f"{name}: n_clusters is required (an int >= 1)")
        params["n_clusters"] = n_clusters
    if "random_state" in accepted:
        params["random_state"] = random_state
    estimator = cls(**params)
    estimator._check_params()
    return estimator


def fit_k(name: str, X: np.ndarray, k: int, *, random_state: int, n_init: int) -> ClusterEstimator:
    """Fit ``name`` at ``k`` with the provider/demand run controls.

    ``n_init`` goes to methods that restart and is not used by the others
    (agglomerative), like ``random_state`` in :func:`make_estimator`.

    Returns
    -------
    ClusterEstimator
        Fitted.
    """
    extra = {"n_init": n_init} if name in ALGORITHMS and "n_init" in _accepted(ALGORITHMS[name]) else {}
    return make_estimator(name, k, random_state=random_state, **extra).fit(X)


# -- functional interface of the provider / demand k grid ----------------------------------------

FIT_ALGORITHMS = ("kmeans", "gmm", "agglomerative")


@dataclass(eq=False)
class FitResult:
    """Result of fitting one algorithm at one k.

    Attributes
    ----------
    labels : ndarray of shape (n_samples,), dtype int64
        Cluster of each row, in ``0..k-1``.
    centers : ndarray of shape (k, n_features)
        The estimator's ``cluster_centers_`` (centroids, component means or member means).
    inertia : float
        Sum of squared euclidean distances of rows to their own centre.
    """

    labels: np.ndarray
    centers: np.ndarray
    inertia: float


FitFunction = Callable[[np.ndarray, int, int, int], FitResult]


def get_algorithm(name: str) -> FitFunction:
    """``fit(X, k, random_state, n_init) -> FitResult`` for a provider/demand algorithm.

    Parameters
    ----------
    name : str
        One of :data:`FIT_ALGORITHMS`.

    Returns
    -------
    callable
        :func:`fit_k` with the estimator's labels, centres and inertia as a :class:`FitResult`.

    Raises
    ------
    SettingsError
        Unknown name.
    """
    if name not in FIT_ALGORITHMS:
        raise _unknown("setting 'algorithm'", name, FIT_ALGORITHMS)

    def fit(X: np.ndarray, k: int, random_state: int, n_init: int) -> FitResult:
        est = fit_k(name, X, k, random_state=random_state, n_init=n_init)
        return FitResult(est.labels_, est.cluster_centers_, est.inertia_)

    fit.__name__ = f"fit_{name}"
    return fit
