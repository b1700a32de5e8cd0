"""Density-based methods (DBSCAN, HDBSCAN, OPTICS): they find the number of clusters and flag noise.

``labels_`` are ``0..n_clusters_-1`` and -1 for noise; ``n_clusters`` is not
a parameter.  ``cluster_centers_`` are the members' means (noise left out),
``memberships_`` one-hot (a noise row is all zeros), ``inertia_`` and
``radius_`` count the clustered rows only.

Scoring new rows (``predict``)
------------------------------
A new row joins the cluster of its nearest *anchor* when it lies within that
anchor's *reach*, else it is noise (-1):

* DBSCAN: anchors are the core samples, reach is ``eps`` (the DBSCAN rule
  for a border point, with the nearest core sample breaking ties);
* HDBSCAN and OPTICS: anchors are the clustered training rows, reach is the
  anchor's core distance (distance to its ``min_samples``-th nearest
  training row, itself included): the row would fall inside the anchor's
  dense neighbourhood.

On the training rows this reproduces ``labels_`` for every anchor (its
nearest anchor is itself) and approximates it for the others (DBSCAN border
points near two clusters; HDBSCAN/OPTICS noise rows inside a member's core
distance, or members outside every core distance).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.cluster import DBSCAN, HDBSCAN, OPTICS
from sklearn.neighbors import NearestNeighbors
from sklearn.utils.validation import check_is_fitted

from cluster_marts.algorithms.base import ClusterEstimator, FitState, Rules
from cluster_marts.algorithms.constraints import param_constraints

__all__ = ["DBSCANClusterer", "HDBSCANClusterer", "OPTICSClusterer"]


class _DensityClusterer(ClusterEstimator):
    """Shared ``predict`` (nearest anchor within its reach) of the density methods."""

    density = True

    def _anchor(self, X: np.ndarray, labels: np.ndarray, rows: np.ndarray, reach: np.ndarray) -> FitState:
        """Store the anchors ``X[rows]`` with their reach and return the fit state."""
        self.anchor_labels_ = np.asarray(labels, dtype=np.int64)[rows]
        self.anchor_reach_ = np.asarray(reach, dtype=np.float64)
        self.anchors_ = X[rows]
        self.neighbors_ = NearestNeighbors(n_neighbors=1).fit(X[rows]) if rows.size else None
        return FitState(labels)

    def predict(self, X):
        """Cluster of the nearest anchor when within its reach, else -1; see the module docstring."""
        check_is_fitted(self, "anchors_")
        X = self._check_input(X, reset=False)
        if self.neighbors_ is None:
            return np.full(X.shape[0], -1, dtype=np.int64)
        dist, idx = self.neighbors_.kneighbors(X)
        dist, idx = dist[:, 0], idx[:, 0]
        return np.where(dist <= self.anchor_reach_[idx], self.anchor_labels_[idx], -1).astype(np.int64)


def _core_distances(X: np.ndarray, rows: np.ndarray, min_samples: int) -> np.ndarray:
    """Distance of ``X[rows]`` to their ``min_samples``-th nearest row of ``X`` (themselves included)."""
    if not rows.size:
        return np.empty(0)
    n_neighbors = min(min_samples, X.shape[0])
    return NearestNeighbors(n_neighbors=n_neighbors).fit(X).kneighbors(X[rows])[0][:, -1]


class DBSCANClusterer(_DensityClusterer):
    """DBSCAN: clusters are chains of core samples (``min_samples`` rows within ``eps``).

    Parameters
    ----------
    eps : float, default=0.5
    min_samples : int, default=5

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base` and the module docstring.
    core_sample_indices_ : ndarray of int
        Training rows that are core samples (the anchors of ``predict``).
    """

    algorithm = "dbscan"
    _param_rules: ClassVar[Rules] = param_constraints("dbscan", "eps", "min_samples")

    def __init__(self, *, eps: float = 0.5, min_samples: int = 5):
        self.eps = eps
        self.min_samples = min_samples

    def _fit(self, X: np.ndarray) -> FitState:
        model = DBSCAN(eps=self.eps, min_samples=self.min_samples).fit(X)
        self.core_sample_indices_ = np.asarray(model.core_sample_indices_, dtype=np.int64)
        rows = self.core_sample_indices_
        return self._anchor(X, model.labels_, rows, np.full(rows.size, float(self.eps)))


class HDBSCANClusterer(_DensityClusterer):
    """HDBSCAN: DBSCAN over every ``eps``, keeping the most stable clusters.

    Parameters
    ----------
    min_cluster_size : int, default=5
    min_samples : int or None, default=None
        None means ``min_cluster_size``.

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base` and the module docstring.
    probabilities_ : ndarray of shape (n_samples,)
        Strength of each row's membership in its cluster (0 for noise).
    """

    algorithm = "hdbscan"
    _param_rules: ClassVar[Rules] = param_constraints("hdbscan", "min_cluster_size", "min_samples",
                                                      nullable=("min_samples",))

    def __init__(self, *, min_cluster_size: int = 5, min_samples: int | None = None):
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples

    def _fit(self, X: np.ndarray) -> FitState:
        model = HDBSCAN(min_cluster_size=self.min_cluster_size, min_samples=self.min_samples, copy=True).fit(X)
        self.probabilities_ = np.asarray(model.probabilities_, dtype=np.float64)
        rows = np.flatnonzero(model.labels_ >= 0)
        min_samples = self.min_cluster_size if self.min_samples is None else self.min_samples
        return self._anchor(X, model.labels_, rows, _core_distances(X, rows, min_samples))


class OPTICSClusterer(_DensityClusterer):
    """OPTICS: clusters are steep valleys (``xi``) of the reachability plot.

    Parameters
    ----------
    min_samples : int, default=5
    xi : float, default=0.05
        In (0, 1).
    min_cluster_size : int or None, default=None
        None means ``min_samples``.

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base` and the module docstring.
    reachability_, core_distances_ : ndarray of shape (n_samples,)
        As scikit-learn's ``OPTICS`` (indexed by row).
    """

    algorithm = "optics"
    _param_rules: ClassVar[Rules] = param_constraints("optics", "min_samples", "xi", "min_cluster_size",
                                                      nullable=("min_cluster_size",))

    def __init__(self, *, min_samples: int = 5, xi: float = 0.05, min_cluster_size: int | None = None):
        self.min_samples = min_samples
        self.xi = xi
        self.min_cluster_size = min_cluster_size

    def _fit(self, X: np.ndarray) -> FitState:
        model = OPTICS(min_samples=self.min_samples, xi=self.xi, min_cluster_size=self.min_cluster_size).fit(X)
        self.reachability_ = np.asarray(model.reachability_, dtype=np.float64)
        self.core_distances_ = np.asarray(model.core_distances_, dtype=np.float64)
        rows = np.flatnonzero(model.labels_ >= 0)
        return self._anchor(X, model.labels_, rows, self.core_distances_[rows])
