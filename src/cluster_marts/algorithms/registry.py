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

:func:`fit_k` fits one method at one k with the provider / demand run
controls (``random_state``, ``n_init``); the k grid
(:mod:`cluster_marts.selection`), its gap references and the final fit at the
chosen k (:mod:`cluster_marts.adapters.fitting`) all go through it.
"""

from __future__ import annotations

import inspect
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
from cluster_marts.config.algorithm_params import ALGORITHM_ALIASES, canonical_algorithm
from cluster_marts.errors import SettingsError

__all__ = ["ALGORITHMS", "DENSITY_ALGORITHMS", "make_estimator", "fit_estimator", "fit_k", "member_means",
           "within_ss"]

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
    aliases = ", ".join(f"{alias} = {name}" for alias, name in ALGORITHM_ALIASES.items())
    return SettingsError(f"{what}={value!r} is not allowed; use one of: {', '.join(sorted(allowed))} "
                         f"(aliases: {aliases})")


def _accepted(cls: type[ClusterEstimator]) -> list[str]:
    return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]


def make_estimator(name: str, n_clusters: int | None = None, *, random_state: int | None = 0,
                   **params: Any) -> ClusterEstimator:
    """Build the estimator registered under ``name``, its parameters checked.

    Parameters
    ----------
    name : str
        A key of :data:`ALGORITHMS`, or an alias of
        :data:`~cluster_marts.config.algorithm_params.ALGORITHM_ALIASES`
        (``hierarchical``, ``gaussian_mixture``), which builds the same estimator.
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
    name = canonical_algorithm(name)
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


def fit_estimator(name: str, X: np.ndarray, n_clusters: int | None, *, random_state: int | None,
                  **params: Any) -> ClusterEstimator:
    """The one route from a name to a fitted estimator: :func:`make_estimator`, then ``fit(X)``.

    Every domain fits through it: providers and demand (:func:`fit_k`), the
    customer methods (:func:`cluster_marts.algorithms.methods.fit_method`) and
    the workbench menu (:func:`cluster_marts.adapters.workbench.menu.fit_menu`).

    Examples
    --------
    >>> est = fit_estimator("kmeans", np.array([[0.0], [0.1], [5.0], [5.1]]), 2, random_state=0, n_init=1)
    >>> sorted(est.labels_.tolist())
    [0, 0, 1, 1]
    """
    return make_estimator(name, n_clusters, random_state=random_state, **params).fit(X)


def fit_k(name: str, X: np.ndarray, k: int, *, random_state: int, n_init: int) -> ClusterEstimator:
    """Fit ``name`` at ``k`` with the provider/demand run controls.

    ``n_init`` goes to methods that restart and is not used by the others
    (agglomerative), like ``random_state`` in :func:`make_estimator`.

    Returns
    -------
    ClusterEstimator
        Fitted.
    """
    name = canonical_algorithm(name)
    extra = {"n_init": n_init} if name in ALGORITHMS and "n_init" in _accepted(ALGORITHMS[name]) else {}
    return fit_estimator(name, X, k, random_state=random_state, **extra)
