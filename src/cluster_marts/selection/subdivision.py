"""Hierarchical subdivision of over-large or over-spread segments.

After the final fit at the chosen k, each top-level segment (dominant labels)
is split again when

    (share of the whole population > max_share  OR  intra-cluster variance > max_variance
     OR  diameter > diameter_factor x the axis-wide diameter)
    AND size >= min_size  AND  depth < max_depth

where the intra-cluster variance is the mean squared euclidean distance of the
members to their mean in the scaled axis space, a segment's diameter the 95th
percentile of its members' euclidean distances to their mean
(:func:`diameter`), and the axis-wide diameter the 95th percentile of every
row's distance to the mean of its top-level segment: a segment whose edge lies
much further from its centre than is usual on the axis is split, even when it
is small and its variance is moderate.  Top-level segments have depth 0.
The split always uses k-means (``n_init=10``, seeded) on the scaled
axis features, whatever the method of the top level; its k in
``2..subdivision.k_max`` is chosen by the engine's k grid and rules
(:mod:`cluster_marts.selection.rules`) with ``subdivision.selection_rule``:
``silhouette`` (default: the split follows the segment's own natural
sub-structure, e.g. one-time buyers vs occasional repeaters inside a
mega-segment) or ``balanced`` (the top level's balance-aware combined score);
ties -> smallest k.  A candidate split leaving a child with a
single row is discarded (one customer is not a segment); a segment with no
acceptable split, e.g. a point mass of identical rows such as customers with a
return rate of exactly 0, stays a leaf even when it holds more than
``max_share`` of the population.  Children are ordered canonically (ascending
member mean on the axis's first feature, ties by the other features, then
size) and checked again, recursively.

Paths: top-level ``"2"``, children ``"2.0"``, ``"2.1"``, grandchildren
``"2.1.0"``; a segment that is not split keeps its path, so the leaves'
paths are what rows carry.  The numbers are ids: a top-level segment's id
(``top_ids``, e.g. kept from the previous build) and, per split, the ids
``child_ids`` gives the canonical children (default their canonical index),
so a sub-segment can keep its id from one build to the next
(:class:`cluster_marts.fitting.children.ChildIds`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from cluster_marts.algorithms.base import ClusterEstimator
from cluster_marts.algorithms.registry import fit_k
from cluster_marts.config.segmentation_params import SubdivisionParams
from cluster_marts.errors import InputDataError
from cluster_marts.identity.canonical import canonical_labels
from cluster_marts.preprocessing.sampling import fit_sample
from cluster_marts.selection.grid import evaluate_k_grid
from cluster_marts.selection.rules import choose_k

__all__ = ["Subdivision", "diameter", "intra_variance", "needs_split", "split_segment", "subdivide", "SPLIT_N_INIT"]

#: the percentile of the members' distances to their centre that is a segment's diameter
DIAMETER_PERCENTILE = 95.0

SPLIT_N_INIT = 10  # k-means restarts of a split


@dataclass(eq=False)
class Subdivision:
    """Leaf path and depth of every row, and the largest leaf share."""

    paths: np.ndarray  # str, shape (n_samples,)
    depths: np.ndarray  # int64, shape (n_samples,)

    @property
    def n_leaves(self) -> int:
        """Number of distinct leaf segments."""
        return int(np.unique(self.paths).size)

    @property
    def max_leaf_share(self) -> float:
        """Largest leaf segment's share of the rows."""
        return float(np.unique(self.paths, return_counts=True)[1].max() / self.paths.size) if self.paths.size else 0.0


def intra_variance(X: np.ndarray) -> float:
    """Mean squared euclidean distance of rows to their mean.

    Examples
    --------
    >>> intra_variance(np.array([[0.0, 0.0], [2.0, 0.0]]))
    1.0
    """
    X = np.asarray(X, dtype=np.float64)
    return float(_squared_distances(X).mean()) if X.shape[0] else 0.0


def _squared_distances(X: np.ndarray) -> np.ndarray:
    """Each row's squared euclidean distance to the rows' mean."""
    return ((X - X.mean(axis=0)) ** 2).sum(axis=1)


def _axis_diameter(X: np.ndarray, labels: np.ndarray) -> float:
    """The 95th percentile of every row's euclidean distance to the mean of its label's rows."""
    sums = np.zeros((int(labels.max()) + 1, X.shape[1]))
    np.add.at(sums, labels, X)
    means = sums / np.bincount(labels, minlength=sums.shape[0])[:, None]
    return _diameter(((X - means[labels]) ** 2).sum(axis=1))


def diameter(X: np.ndarray) -> float:
    """A segment's diameter: the 95th percentile of its rows' euclidean distances to their mean.

    Examples
    --------
    >>> round(diameter(np.array([[0.0, 0.0], [2.0, 0.0]])), 6)
    1.0
    """
    X = np.asarray(X, dtype=np.float64)
    return _diameter(_squared_distances(X)) if X.shape[0] else 0.0


def _diameter(squared: np.ndarray) -> float:
    """The 95th percentile of the distances whose squares are ``squared``."""
    return float(np.percentile(np.sqrt(squared), DIAMETER_PERCENTILE))


def needs_split(size: int, share: float, variance: float, depth: int, p: SubdivisionParams,
                diameter: float = 0.0, axis_diameter: float = np.inf) -> bool:
    """The subdivision rule of the module docstring (``diameter`` of the segment, ``axis_diameter`` the
    axis-wide one; the defaults, or an axis-wide diameter of 0, leave the diameter trigger out).

    Examples
    --------
    >>> needs_split(700, 0.7, 0.5, 0, SubdivisionParams())
    True
    >>> needs_split(700, 0.7, 0.5, 3, SubdivisionParams())   # max_depth reached
    False
    >>> needs_split(150, 0.05, 0.5, 0, SubdivisionParams(), diameter=1.6, axis_diameter=1.0)  # wider than 1.5x
    True
    """
    spread = variance > p.max_variance or 0.0 < axis_diameter < diameter / p.diameter_factor
    return (share > p.max_share or spread) and size >= p.min_size and depth < p.max_depth


def split_segment(
    X: np.ndarray, p: SubdivisionParams, *, weights: tuple[float, float], sample_size: int, random_state: int,
    fit_sample_size: int | None = None,
) -> np.ndarray | None:
    """Split rows ``X`` with k-means at the k ``p.selection_rule`` chooses; canonical child labels, or None.

    The k grid and the rule are the engine's
    (:func:`~cluster_marts.selection.grid.evaluate_k_grid`,
    :func:`~cluster_marts.selection.rules.choose_k`); a k is eligible when
    every child holds at least 2 rows (``min_cluster_share = 2 / n``).  None
    when no k is eligible (e.g. fewer than 2 distinct rows) or the rule's
    score is undefined at every eligible k.  With ``fit_sample_size`` the grid
    runs on the segment's fit sample
    (:func:`~cluster_marts.preprocessing.sampling.fit_sample`) and every row
    takes its nearest child centre (``predict``).
    """
    rows = np.arange(X.shape[0]) if fit_sample_size is None else fit_sample(X, fit_sample_size, random_state)
    full, X = X, X[rows]
    n_distinct = np.unique(X, axis=0).shape[0]
    k_top = min(p.k_max, X.shape[0] - 1, n_distinct)
    if k_top < 2:
        return None
    fits = {}

    def fit_at(k: int) -> ClusterEstimator:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fits[k] = fit_k("kmeans", X, k, random_state=random_state, n_init=SPLIT_N_INIT)
        return fits[k]

    grid = evaluate_k_grid(X, range(2, k_top + 1), fit_at, silhouette_sample_size=sample_size,
                           random_state=random_state, balance_weights=weights)
    try:
        chosen = choose_k(grid, p.selection_rule, min_cluster_share=2.0 / X.shape[0])
    except InputDataError:
        return None
    k = int(chosen.loc[chosen["is_chosen"], "k"].item())
    if rows.size == full.shape[0]:
        return canonical_labels(X, fits[k].labels_, k)[0]
    labels = fits[k].predict(full)
    if np.bincount(labels, minlength=k).min() < 2:
        return None
    return canonical_labels(full, labels, k)[0]


def subdivide(
    X: np.ndarray,
    labels: np.ndarray,
    p: SubdivisionParams,
    *,
    weights: tuple[float, float],
    sample_size: int,
    random_state: int,
    fit_sample_size: int | None = None,
    top_ids: np.ndarray | None = None,
    child_ids: Callable[[str, np.ndarray, np.ndarray, int], np.ndarray] | None = None,
) -> Subdivision:
    """Recursively split top-level segments; see the module docstring.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Scaled axis features.
    labels : ndarray of shape (n_samples,)
        Canonical top-level segment ids (dominant memberships).
    p : SubdivisionParams
    weights : tuple of float
        ``(w_silhouette, w_balance)`` of the combined score.
    sample_size, random_state : int
        Silhouette sampling and k-means seed.
    fit_sample_size : int, optional
        Fit each split on at most this many rows of the segment (seeded,
        stratified) and assign every member by ``predict``; None fits on all.
    top_ids : ndarray of int, optional
        The id each canonical top-level segment has in the paths (default: the canonical id).
    child_ids : callable, optional
        ``child_ids(path, rows, child_labels, k)``: the ids of a split's canonical children
        ``0..k-1`` (``rows`` indexes ``X``, ``child_labels`` their canonical child); default
        ``0..k-1``.

    Returns
    -------
    Subdivision
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    n = labels.size
    top = np.arange(int(labels.max()) + 1 if n else 0) if top_ids is None else np.asarray(top_ids, dtype=np.int64)
    paths = top[labels].astype(str).astype(object) if n else labels.astype(str).astype(object)
    depths = np.zeros(n, dtype=np.int64)
    stack = [(np.flatnonzero(labels == seg), str(top[seg]), 0) for seg in np.unique(labels)[::-1]]
    axis_diameter = _axis_diameter(X, labels) if n else 0.0
    while stack:
        rows, path, depth = stack.pop()
        segment = X[rows]
        squared = _squared_distances(segment)  # the segment's variance and diameter from one pass
        if not needs_split(rows.size, rows.size / n, float(squared.mean()), depth, p, _diameter(squared),
                           axis_diameter):
            continue
        child = split_segment(segment, p, weights=weights, sample_size=sample_size, random_state=random_state,
                              fit_sample_size=fit_sample_size)
        if child is None:
            continue
        k = int(child.max()) + 1
        ids = np.arange(k) if child_ids is None else np.asarray(child_ids(path, rows, child, k), dtype=np.int64)
        for c in range(k - 1, -1, -1):
            members = rows[child == c]
            paths[members] = f"{path}.{ids[c]}"
            depths[members] = depth + 1
            stack.append((members, f"{path}.{ids[c]}", depth + 1))
    return Subdivision(paths.astype(str), depths)
