"""The workbench's algorithm menu: one entry point, same result for every algorithm.

:func:`run_algorithm` fits one algorithm of
:data:`~cluster_marts.config.spec_params.ALGORITHMS` on a prepared matrix
and returns a :class:`Clustering`:

* ``labels``: ``0..n_clusters-1``, ``-1`` for noise (density methods only),
  renumbered by first appearance in row order so reruns are identical;
* ``confidence`` in [0, 1]: the maximum posterior for ``gmm``, the maximum
  membership for ``fcm``, the margin ``1 - d1 / d2`` between the nearest and
  the second-nearest centre for k-means-like methods (kmeans,
  minibatch_kmeans, agglomerative, spectral), ``probabilities_`` for
  ``hdbscan``, and 1 (core) / 0.5 (border) / 0 (noise) for ``dbscan`` and
  ``optics`` (an OPTICS member is core when its core distance is at most the
  largest finite reachability distance inside its cluster);
* ``centres``: member means, one row per cluster (noise has none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.cluster import (
    DBSCAN, HDBSCAN, OPTICS, AgglomerativeClustering, KMeans, MiniBatchKMeans, SpectralClustering,
)
from sklearn.mixture import GaussianMixture

from cluster_marts.algorithms.registry import member_means, within_ss
from cluster_marts.errors import InputDataError
from cluster_marts.algorithms.fcm import fit_fcm
from cluster_marts.config.spec_params import ALGORITHMS, DENSITY_ALGORITHMS, PARAM_RULES

__all__ = ["Clustering", "run_algorithm", "margin_confidence", "RUNNERS"]


@dataclass(frozen=True, eq=False)
class Clustering:
    """Result of one fit on a prepared matrix.

    Attributes
    ----------
    algorithm : str
    labels : ndarray of int64, shape (n_samples,)
        ``-1`` marks noise.
    confidence : ndarray of float64, shape (n_samples,)
        In [0, 1]; see the module docstring.
    centres : ndarray of shape (n_clusters, n_features)
        Member means of clusters ``0..n_clusters-1``.
    inertia : float
        Within-cluster sum of squares around the member means; NaN for
        density methods (noise makes it meaningless).
    """

    algorithm: str
    labels: np.ndarray
    confidence: np.ndarray
    centres: np.ndarray
    inertia: float

    @property
    def n_clusters(self) -> int:
        """Number of clusters, noise excluded."""
        return int(self.centres.shape[0])

    @property
    def noise_share(self) -> float:
        """Share of rows labelled ``-1``."""
        return float(np.mean(self.labels < 0)) if self.labels.size else 0.0


def margin_confidence(X: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """``1 - d1 / d2``: 1 on a centre, 0 half-way between the two nearest centres.

    Examples
    --------
    >>> margin_confidence(np.array([[0.0], [1.0]]), np.array([[0.0], [2.0]])).tolist()
    [1.0, 0.0]
    """
    if centres.shape[0] < 2:
        return np.ones(X.shape[0])
    d = np.sqrt(((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    d.sort(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 1.0 - d[:, 0] / d[:, 1]
    return np.clip(np.nan_to_num(out, nan=0.0), 0.0, 1.0)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Clusters numbered by first appearance in row order; noise stays -1."""
    labels = np.asarray(labels, dtype=np.int64)
    out = np.full(labels.shape, -1, dtype=np.int64)
    seen = [v for v in dict.fromkeys(labels.tolist()) if v >= 0]
    for new, old in enumerate(seen):
        out[labels == old] = new
    return out


def _kmeans(X: np.ndarray, k: int, p: Mapping[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    return KMeans(k, n_init=p["n_init"], max_iter=p["max_iter"], random_state=seed).fit_predict(X), None


def _minibatch(X: np.ndarray, k: int, p: Mapping[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    model = MiniBatchKMeans(k, n_init=p["n_init"], max_iter=p["max_iter"], batch_size=p["batch_size"],
                            random_state=seed)
    return model.fit_predict(X), None


def _agglomerative(X: np.ndarray, k: int, p: Mapping[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    return AgglomerativeClustering(k, linkage=p["linkage"]).fit_predict(X), None


def _spectral(X: np.ndarray, k: int, p: Mapping[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    model = SpectralClustering(k, affinity=p["affinity"], n_neighbors=min(p["n_neighbors"], X.shape[0] - 1),
                               n_init=p["n_init"], random_state=seed, assign_labels="kmeans")
    return model.fit_predict(X), None


def _gmm(X: np.ndarray, k: int, p: Mapping[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    model = GaussianMixture(k, covariance_type=p["covariance_type"], n_init=p["n_init"], max_iter=p["max_iter"],
                            random_state=seed).fit(X)
    proba = model.predict_proba(X)
    return proba.argmax(axis=1), proba.max(axis=1)


def _fcm(X: np.ndarray, k: int, p: Mapping[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    fit = fit_fcm(X, k, m=p["m"], max_iter=p["max_iter"], n_init=p["n_init"], random_state=seed)
    return fit.u.argmax(axis=1), fit.u.max(axis=1)


def _dbscan(X: np.ndarray, k: int, p: Mapping[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    model = DBSCAN(eps=p["eps"], min_samples=p["min_samples"]).fit(X)
    conf = np.where(model.labels_ >= 0, 0.5, 0.0)
    conf[model.core_sample_indices_] = 1.0
    return model.labels_, conf


def _hdbscan(X: np.ndarray, k: int, p: Mapping[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    model = HDBSCAN(min_cluster_size=p["min_cluster_size"], min_samples=p["min_samples"], copy=True).fit(X)
    return model.labels_, np.where(model.labels_ >= 0, model.probabilities_, 0.0)


def _optics(X: np.ndarray, k: int, p: Mapping[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    model = OPTICS(min_samples=p["min_samples"], xi=p["xi"], min_cluster_size=p["min_cluster_size"]).fit(X)
    labels, conf = model.labels_, np.zeros(X.shape[0])
    for cluster in np.unique(labels[labels >= 0]):
        members = labels == cluster
        reach = model.reachability_[members]
        level = reach[np.isfinite(reach)].max() if np.isfinite(reach).any() else np.inf
        conf[members] = np.where(model.core_distances_[members] <= level, 1.0, 0.5)
    return labels, conf


RUNNERS: dict[str, Callable[[np.ndarray, int, Mapping[str, Any], int], tuple[np.ndarray, np.ndarray | None]]] = {
    "kmeans": _kmeans, "minibatch_kmeans": _minibatch, "agglomerative": _agglomerative, "spectral": _spectral,
    "gmm": _gmm, "fcm": _fcm, "dbscan": _dbscan, "hdbscan": _hdbscan, "optics": _optics,
}


def run_algorithm(
    name: str, X: np.ndarray, k: int | None, params: Mapping[str, Any] | None = None, random_state: int = 42
) -> Clustering:
    """Fit one algorithm of the menu.

    Parameters
    ----------
    name : str
        One of :data:`~cluster_marts.config.spec_params.ALGORITHMS`.
    X : ndarray of shape (n_samples, n_features)
        Prepared (scaled, filtered, reduced), finite data.
    k : int or None
        Number of clusters; ignored by density methods.
    params : mapping, optional
        Validated parameters; missing ones take the defaults of
        :data:`~cluster_marts.config.spec_params.PARAM_RULES`.
    random_state : int, default=42

    Returns
    -------
    Clustering

    Raises
    ------
    InputDataError
        Unknown algorithm, or ``k`` outside ``2..n_samples - 1``.
    """
    if name not in RUNNERS:
        raise InputDataError(f"unknown algorithm {name!r}; allowed values: {', '.join(ALGORITHMS)}")
    X = np.asarray(X, dtype=np.float64)
    density = name in DENSITY_ALGORITHMS
    if not density and (k is None or not 2 <= k < X.shape[0]):
        raise InputDataError(f"{name}: k={k} must lie in 2..n_samples-1={X.shape[0] - 1}")
    full = {key: rule.default for key, rule in PARAM_RULES[name].items()} | dict(params or {})
    raw_labels, conf = RUNNERS[name](X, 0 if k is None else int(k), full, random_state)
    labels = _renumber(raw_labels)
    n_found = int(labels.max()) + 1 if (labels >= 0).any() else 0
    centres = member_means(X[labels >= 0], labels[labels >= 0], n_found) if n_found else np.empty((0, X.shape[1]))
    if conf is None:
        conf = margin_confidence(X, centres)
    conf = np.clip(np.where(labels >= 0, conf, 0.0), 0.0, 1.0)
    inertia = float("nan") if density else within_ss(X, labels)
    return Clustering(name, labels, np.asarray(conf, dtype=np.float64), centres, inertia)
