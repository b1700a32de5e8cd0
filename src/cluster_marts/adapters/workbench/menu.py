"""The workbench's algorithm menu: one entry point, same result for every algorithm.

:func:`fit_menu` fits one registry estimator
(:func:`~cluster_marts.algorithms.registry.fit_estimator`, the one route to an estimator) of
:data:`~cluster_marts.config.spec_params.ALGORITHMS` with the menu's default
parameters; :func:`describe` turns a fit whose rows carry canonical labels
into a :class:`Clustering` (the spec's own fit:
:mod:`~cluster_marts.adapters.workbench.fit`, through the one fit pipeline, ids
kept across builds).  :func:`run_algorithm` fits, numbers and describes in one
call (the algorithm comparison, the stability refits and the k scan that only
suggests k) on a prepared matrix and returns a :class:`Clustering`:

* ``labels``: ``0..n_clusters-1``, ``-1`` for noise (density methods only),
  numbered by the canonical rule (:mod:`cluster_marts.identity.canonical`:
  ascending member mean of the prepared matrix's first column, ties by the
  other columns, then size), so reruns and row order give the same ids;
  clusters left without members are dropped;
* ``confidence`` in [0, 1]: the maximum posterior for ``gmm``, the maximum
  membership for ``fcm``, the margin ``1 - d1 / d2`` between the nearest and
  the second-nearest centre for k-means-like methods (kmeans,
  minibatch_kmeans, agglomerative, spectral), ``probabilities_`` for
  ``hdbscan``, and 1 (core) / 0.5 (border) / 0 (noise) for ``dbscan`` and
  ``optics`` (an OPTICS member is core when its core distance is at most the
  largest finite reachability distance inside its cluster);
* ``centres``: member means, one row per cluster (noise has none);
* fitted on a sample (``fit_rows``): the sample rows keep the fit's own
  labels, every other row takes the estimator's ``predict`` (k-means, GMM,
  FCM: nearest centre / largest posterior / membership; agglomerative,
  spectral: nearest member mean; density methods: nearest anchor within its
  reach, else noise); members, centres and scores then cover every row.  The
  confidence of a row outside the sample is its maximum ``predict_memberships``
  for ``gmm`` and ``fcm``, 0.5 for a clustered row of a density method (it
  joined through an anchor, like a border point; 0 for noise), the margin
  confidence otherwise;
* ``scores``: the estimator's per-row distance, normalised distance, margin
  and runner-up (:func:`~cluster_marts.algorithms.scores.row_scores`), in
  the canonical ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from cluster_marts.algorithms.base import ClusterEstimator
from cluster_marts.algorithms.registry import fit_estimator
from cluster_marts.algorithms.scores import RowScores, member_means, row_scores, within_ss
from cluster_marts.config.spec_params import ALGORITHMS, DENSITY_ALGORITHMS, PARAM_RULES
from cluster_marts.errors import InputDataError
from cluster_marts.identity.canonical import canonical_labels

__all__ = ["Clustering", "run_algorithm", "fit_menu", "own_labels", "describe", "margin_confidence", "CONFIDENCE"]

_CHUNK = 65_536  # rows per block of the margin confidence


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
    scores : RowScores or None
        Per-row distance / normalised distance / margin / runner-up to the
        estimator's centres, runner-up in canonical ids.
    estimator : ClusterEstimator or None
        The fitted estimator (its own ids; ``predict`` scores new rows).
    """

    algorithm: str
    labels: np.ndarray
    confidence: np.ndarray
    centres: np.ndarray
    inertia: float
    scores: RowScores | None = None
    estimator: ClusterEstimator | None = None

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
    out = np.empty(X.shape[0])
    for start in range(0, X.shape[0], _CHUNK):  # bounded memory on large tables
        part = X[start:start + _CHUNK]
        d = np.sqrt(((part[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
        d.sort(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start:start + _CHUNK] = 1.0 - d[:, 0] / d[:, 1]
    return np.clip(np.nan_to_num(out, nan=0.0), 0.0, 1.0)


def _dbscan_confidence(est: ClusterEstimator) -> np.ndarray:
    conf = np.where(est.labels_ >= 0, 0.5, 0.0)
    conf[est.core_sample_indices_] = 1.0
    return conf


def _optics_confidence(est: ClusterEstimator) -> np.ndarray:
    labels, conf = est.labels_, np.zeros(est.labels_.size)
    for cluster in np.unique(labels[labels >= 0]):
        members = labels == cluster
        reach = est.reachability_[members]
        level = reach[np.isfinite(reach)].max() if np.isfinite(reach).any() else np.inf
        conf[members] = np.where(est.core_distances_[members] <= level, 1.0, 0.5)
    return conf


CONFIDENCE: dict[str, Callable[[ClusterEstimator], np.ndarray]] = {
    "gmm": lambda est: est.memberships_.max(axis=1),
    "fcm": lambda est: est.memberships_.max(axis=1),
    "hdbscan": lambda est: np.where(est.labels_ >= 0, est.probabilities_, 0.0),
    "dbscan": _dbscan_confidence,
    "optics": _optics_confidence,
}
"""Confidence of the methods that have their own; the others use :func:`margin_confidence`."""


def _confidence(name: str, est: ClusterEstimator, X: np.ndarray, centres: np.ndarray,
                fit_rows: np.ndarray | None) -> np.ndarray:
    """Confidence of every row (see the module docstring); ``fit_rows`` None: the fit saw every row."""
    if name not in CONFIDENCE:
        return margin_confidence(X, centres)
    if fit_rows is None:
        return CONFIDENCE[name](est)
    if est.soft:
        return est.predict_memberships(X).max(axis=1)
    conf = np.full(X.shape[0], 0.5)
    conf[fit_rows] = CONFIDENCE[name](est)
    return conf


def fit_menu(name: str, X_fit: np.ndarray, k: int | None, params: Mapping[str, Any] | None = None,
             random_state: int = 42) -> ClusterEstimator:
    """The registry estimator of ``name`` fitted on ``X_fit`` (parameters missing from ``params`` at the
    defaults of :data:`~cluster_marts.config.spec_params.PARAM_RULES`; density methods ignore ``k``)."""
    full = {key: rule.default for key, rule in PARAM_RULES[name].items()} | dict(params or {})
    return fit_estimator(name, X_fit, None if name in DENSITY_ALGORITHMS else int(k), random_state=random_state,
                         **full)


def own_labels(est: ClusterEstimator, X: np.ndarray, fit_rows: np.ndarray | None) -> np.ndarray:
    """The estimator's own labels on the rows it was fitted on (``fit_rows``; None: every row), ``predict``
    on the others."""
    if fit_rows is None:
        return np.asarray(est.labels_, dtype=np.int64)
    own = est.predict(X)
    own[fit_rows] = est.labels_
    return own


def describe(name: str, X: np.ndarray, est: ClusterEstimator, labels: np.ndarray, order: np.ndarray,
             fit_rows: np.ndarray | None) -> Clustering:
    """The :class:`Clustering` of a fit whose rows carry canonical ``labels`` (``order[canonical] ==
    estimator's cluster``); ``fit_rows`` the rows it was fitted on (None: every row)."""
    n_found = int(labels.max()) + 1 if (labels >= 0).any() else 0
    centres = member_means(X, labels, n_found)
    conf = _confidence(name, est, X, centres, fit_rows)
    conf = np.clip(np.where(labels >= 0, conf, 0.0), 0.0, 1.0)
    inertia = float("nan") if name in DENSITY_ALGORITHMS else within_ss(X, labels)
    scores = row_scores(est.transform(X)[:, order], labels, est.radius_[order])
    return Clustering(name, labels, np.asarray(conf, dtype=np.float64), centres, inertia, scores, est)


def run_algorithm(
    name: str, X: np.ndarray, k: int | None, params: Mapping[str, Any] | None = None, random_state: int = 42,
    fit_rows: np.ndarray | None = None,
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
    fit_rows : ndarray of int, optional
        Rows of ``X`` the estimator is fitted on (default every row); the
        other rows take its ``predict`` (see the module docstring).

    Returns
    -------
    Clustering

    Raises
    ------
    InputDataError
        Unknown algorithm, or ``k`` outside ``2..n_fitted_rows - 1``.
    """
    if name not in ALGORITHMS:
        raise InputDataError(f"unknown algorithm {name!r}; allowed values: {', '.join(ALGORITHMS)}")
    X = np.asarray(X, dtype=np.float64)
    if fit_rows is not None and fit_rows.size == X.shape[0]:
        fit_rows = None
    X_fit = X if fit_rows is None else X[fit_rows]
    if name not in DENSITY_ALGORITHMS and (k is None or not 2 <= k < X_fit.shape[0]):
        raise InputDataError(f"{name}: k={k} must lie in 2..n_samples-1={X_fit.shape[0] - 1}")
    est = fit_menu(name, X_fit, k, params, random_state)
    labels, order = canonical_labels(X, own_labels(est, X, fit_rows), est.n_clusters_)
    return describe(name, X, est, labels, order, fit_rows)
