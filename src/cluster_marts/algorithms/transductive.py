"""Agglomerative and spectral clustering: methods that only label their training rows.

Neither method has centres nor a rule for new rows (scikit-learn gives them
no ``predict``).  Here ``cluster_centers_`` are the members' means and
``predict`` assigns a row to the nearest of them: an approximation, exact for
clusters that are convex and well separated (Ward linkage on blobs), weaker
for chained or ring-shaped clusters (single linkage, nearest-neighbour
affinity).  On the training rows ``predict`` can disagree with ``labels_``
for rows nearer another cluster's mean; their ``margin`` is negative.
Both are deterministic given ``random_state`` (agglomerative does not use it).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.cluster import AgglomerativeClustering, SpectralClustering

from cluster_marts.algorithms.base import ClusterEstimator, FitState, Rules
from cluster_marts.algorithms.constraints import param_constraints

__all__ = ["AgglomerativeClusterer", "SpectralClusterer"]


class AgglomerativeClusterer(ClusterEstimator):
    """Agglomerative (bottom-up) clustering; centres are the member means.

    Memory and time grow as O(n_samples**2): meant for up to a few tens of
    thousands of rows.

    Parameters
    ----------
    n_clusters : int, default=8
    linkage : {"ward", "complete", "average", "single"}, default="ward"

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base`; ``predict`` is the nearest member mean.
    """

    algorithm = "agglomerative"
    _param_rules: ClassVar[Rules] = param_constraints("agglomerative", "n_clusters", "linkage")

    def __init__(self, n_clusters: int = 8, *, linkage: str = "ward"):
        self.n_clusters = n_clusters
        self.linkage = linkage

    def _fit(self, X: np.ndarray) -> FitState:
        return FitState(AgglomerativeClustering(n_clusters=self.n_clusters, linkage=self.linkage).fit_predict(X))


class SpectralClusterer(ClusterEstimator):
    """Spectral clustering (graph Laplacian embedding, then k-means labels); centres are the member means.

    Parameters
    ----------
    n_clusters : int, default=8
    affinity : {"rbf", "nearest_neighbors"}, default="rbf"
    n_neighbors : int, default=10
        For ``affinity="nearest_neighbors"``; capped at ``n_samples - 1``.
    n_init : int, default=10
        Restarts of the k-means step.
    random_state : int or None, default=0

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base`; ``predict`` is the nearest member mean.
    """

    algorithm = "spectral"
    _param_rules: ClassVar[Rules] = param_constraints(
        "spectral", "n_clusters", "affinity", "n_neighbors", "n_init", "random_state")

    def __init__(self, n_clusters: int = 8, *, affinity: str = "rbf", n_neighbors: int = 10, n_init: int = 10,
                 random_state: int | None = 0):
        self.n_clusters = n_clusters
        self.affinity = affinity
        self.n_neighbors = n_neighbors
        self.n_init = n_init
        self.random_state = random_state

    def _fit(self, X: np.ndarray) -> FitState:
        model = SpectralClustering(
            n_clusters=self.n_clusters, affinity=self.affinity,
            n_neighbors=max(1, min(self.n_neighbors, X.shape[0] - 1)), n_init=self.n_init,
            random_state=self.random_state, assign_labels="kmeans",
        )
        return FitState(model.fit_predict(X))
