"""k-means and mini-batch k-means: hard assignment to the nearest centroid.

The only places in the package that build scikit-learn's ``KMeans`` and
``MiniBatchKMeans``.  Both silence scikit-learn's own "fewer distinct
clusters" warning; the base class issues one message for every method.
``converged_`` is ``n_iter_ < max_iter``.
"""

from __future__ import annotations

import warnings
from typing import ClassVar

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.exceptions import ConvergenceWarning

from cluster_marts.algorithms.base import ClusterEstimator, FitState, Rules
from cluster_marts.algorithms.constraints import param_constraints

__all__ = ["KMeansClusterer", "MiniBatchKMeansClusterer"]


class KMeansClusterer(ClusterEstimator):
    """k-means (Lloyd, k-means++ initialisation) with ``n_init`` seeded restarts.

    Parameters
    ----------
    n_clusters : int, default=8
    n_init : int, default=10
    max_iter : int, default=300
    tol : float in (0, 1], default=1e-4
        Convergence tolerance: a run stops when the centres move less than
        ``tol`` times the mean feature variance (scikit-learn's relative
        tolerance); larger stops earlier.
    random_state : int or None, default=0

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base`; ``cluster_centers_`` are the
    centroids, ``predict`` is the nearest centroid (equal to ``labels_`` on
    the training rows, barring a row equidistant from two centroids to the
    last bit).

    Examples
    --------
    >>> X = np.array([[0.0], [0.2], [5.0], [5.2]])
    >>> KMeansClusterer(2, random_state=0).fit(X).predict([[0.1], [4.0]]).tolist() in ([0, 1], [1, 0])
    True
    """

    algorithm = "kmeans"
    _param_rules: ClassVar[Rules] = param_constraints(
        "kmeans", "n_clusters", "n_init", "max_iter", "tol", "random_state")

    def __init__(self, n_clusters: int = 8, *, n_init: int = 10, max_iter: int = 300, tol: float = 1e-4,
                 random_state: int | None = 0):
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _fit(self, X: np.ndarray) -> FitState:
        model = KMeans(n_clusters=self.n_clusters, n_init=self.n_init, max_iter=self.max_iter, tol=self.tol,
                       random_state=self.random_state)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X)
        return FitState(model.labels_, model.cluster_centers_, n_iter=model.n_iter_,
                        converged=model.n_iter_ < self.max_iter)


class MiniBatchKMeansClusterer(ClusterEstimator):
    """Mini-batch k-means: k-means on random batches, for large tables.

    Parameters
    ----------
    n_clusters : int, default=8
    n_init : int, default=3
    max_iter : int, default=100
        Passes over the data.
    batch_size : int, default=1024
    random_state : int or None, default=0

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base`; ``predict`` is the nearest centroid.
    """

    algorithm = "minibatch_kmeans"
    _param_rules: ClassVar[Rules] = param_constraints(
        "minibatch_kmeans", "n_clusters", "n_init", "max_iter", "batch_size", "random_state")

    def __init__(self, n_clusters: int = 8, *, n_init: int = 3, max_iter: int = 100, batch_size: int = 1024,
                 random_state: int | None = 0):
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.random_state = random_state

    def _fit(self, X: np.ndarray) -> FitState:
        model = MiniBatchKMeans(n_clusters=self.n_clusters, n_init=self.n_init, max_iter=self.max_iter,
                                batch_size=self.batch_size, random_state=self.random_state)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X)
        # labels_ are computed on all rows with the final centroids (nearest centroid)
        return FitState(model.labels_, model.cluster_centers_, n_iter=model.n_iter_,
                        converged=model.n_iter_ < self.max_iter)
