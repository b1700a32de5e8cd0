"""Sub-segment ids that hold from one build to the next: the children of every split matched like top-level ids.

A subdivision (:func:`cluster_marts.selection.subdivision.subdivide`) splits
a segment into canonical children.  :class:`ChildIds` is its ``child_ids``
callback: the children of the split of path ``P`` are matched to the
children the previous build's split of the same path had
(:func:`~cluster_marts.identity.lineage.keep_ids`: members' means in
original units through the current scaler, accepted within the previous
child's RMS radius), so a sub-segment that keeps its customers keeps its
id, and its path with it; a new child takes a fresh id.  The memory of every
split is kept for the next build (``memories``: path -> ClusterMemory), its
scope :func:`child_scope` (``"<axis>:<path>"``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from cluster_marts.algorithms.scores import member_means
from cluster_marts.identity.lineage import ClusterMemory, PreviousFit, cluster_radius, keep_ids

__all__ = ["ChildIds", "child_scope", "CHILD_SCOPE_SEPARATOR"]

#: between the axis and the parent's path in the scope of a split's memory and lineage
CHILD_SCOPE_SEPARATOR = ":"


def child_scope(scope: str, path: str) -> str:
    """The scope of the children of ``path``: ``"engagement:3"`` for the split of segment 3 of engagement."""
    return f"{scope}{CHILD_SCOPE_SEPARATOR}{path}"


class ChildIds:
    """The ``child_ids`` of a subdivision: kept from the previous build's split of the same path.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The axis features in original units (the rows the subdivision sees).
    Xs : ndarray of shape (n_samples, n_features)
        The same rows scaled (the space the subdivision splits in).
    features : tuple of str
    to_scaled : callable
        The current scaler: original units -> the space of ``Xs``.
    previous : mapping of str to PreviousFit
        The previous build's splits, by parent path.

    Attributes
    ----------
    memories_ : dict of str to ClusterMemory
        Every split of this build, by parent path: the children's ids, means, radius and sizes.
    """

    def __init__(self, X: np.ndarray, Xs: np.ndarray, features: tuple[str, ...],
                 to_scaled: Callable[[np.ndarray], np.ndarray], previous: Mapping[str, PreviousFit]):
        self.X = X
        self.Xs = Xs
        self.features = features
        self.to_scaled = to_scaled
        self.previous = previous
        self.memories_: dict[str, ClusterMemory] = {}

    def __call__(self, path: str, rows: np.ndarray, child_labels: np.ndarray, k: int) -> np.ndarray:
        Xs = self.Xs[rows]
        match = keep_ids(member_means(Xs, child_labels, k), self.features, self.to_scaled, self.previous.get(path))
        sizes = np.bincount(child_labels, minlength=k)
        self.memories_[path] = ClusterMemory(match, self.features, member_means(self.X[rows], child_labels, k),
                                             cluster_radius(Xs, child_labels, k), sizes)
        return match.ids
