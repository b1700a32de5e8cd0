"""Canonical cluster ids, so reruns and label permutations give the same ids.

Rule (documented for analysts): cluster ids ``0..k-1`` are ordered by
ascending centroid value on the canonical feature (in scaled space); ties are
broken by the remaining centroid coordinates in feature order, then by cluster
size, larger first.  Centroid values are rounded to 10 decimals before
sorting so floating-point noise cannot swap two clusters.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = ["canonical_permutation", "canonical_relabel", "match_to_previous"]

_DECIMALS = 10


def _check(labels: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    labels = np.asarray(labels)
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2:
        raise ValueError(f"centers must be 2-D (k, n_features), got shape {centers.shape}.")
    if labels.size and (labels.min() < 0 or labels.max() >= centers.shape[0]):
        raise ValueError(f"labels must lie in 0..{centers.shape[0] - 1} to index the {centers.shape[0]} centers.")
    return labels.astype(np.int64), centers


def canonical_permutation(centers: np.ndarray, sizes: np.ndarray, order_column: int = 0) -> np.ndarray:
    """Old cluster ids listed in canonical order.

    Parameters
    ----------
    centers : ndarray of shape (k, n_features)
    sizes : ndarray of shape (k,)
        Number of rows in each cluster.
    order_column : int, default=0
        Column of ``centers`` that orders the clusters.

    Returns
    -------
    ndarray of shape (k,)
        ``order[new_id] == old_id``.
    """
    keys = np.round(np.asarray(centers, dtype=np.float64), _DECIMALS)
    n_features = keys.shape[1]
    if not 0 <= order_column < n_features:
        raise ValueError(f"order_column={order_column} is out of range for {n_features} features.")
    others = [j for j in range(n_features) if j != order_column]
    # np.lexsort sorts by the last key first: primary key goes last.
    sort_keys = [-np.asarray(sizes)] + [keys[:, j] for j in reversed(others)] + [keys[:, order_column]]
    return np.lexsort(sort_keys)


def canonical_relabel(
    labels: np.ndarray, centers: np.ndarray, order_column: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Renumber clusters by the canonical rule.

    Parameters
    ----------
    labels : ndarray of shape (n_samples,)
        Cluster ids ``0..k-1`` as produced by the algorithm.
    centers : ndarray of shape (k, n_features)
        Centre of each cluster, row ``i`` for label ``i`` (scaled space).
    order_column : int, default=0
        Column of ``centers`` holding the canonical feature.

    Returns
    -------
    new_labels : ndarray of shape (n_samples,), dtype int64
    new_centers : ndarray of shape (k, n_features)
        ``new_centers[i]`` is the centre of new cluster ``i``.

    Examples
    --------
    >>> labels, centers = canonical_relabel(np.array([0, 0, 1]), np.array([[5.0], [1.0]]))
    >>> labels.tolist(), centers.ravel().tolist()
    ([1, 1, 0], [1.0, 5.0])
    """
    labels, centers = _check(labels, centers)
    sizes = np.bincount(labels, minlength=centers.shape[0])
    order = canonical_permutation(centers, sizes, order_column)
    new_id_of_old = np.empty_like(order)
    new_id_of_old[order] = np.arange(order.size)
    return new_id_of_old[labels].astype(np.int64), centers[order]


def match_to_previous(centers: np.ndarray, previous_centers: np.ndarray) -> np.ndarray:
    """Map new clusters to the previous run's ids by minimum total centre distance.

    Uses the Hungarian assignment (:func:`scipy.optimize.linear_sum_assignment`)
    on euclidean distances, so "segment 3" keeps its id across runs.  When the
    new run has more clusters, the unmatched ones get fresh ids
    ``k_previous, k_previous + 1, ...`` in their current (canonical) order.

    Parameters
    ----------
    centers : ndarray of shape (k, n_features)
        Centres of the new fit (scaled space, canonical order).
    previous_centers : ndarray of shape (k_previous, n_features)
        Centres of the previous run, row ``j`` for previous id ``j``.

    Returns
    -------
    ndarray of shape (k,), dtype int64
        ``mapping[new_id]`` is the id to publish for that cluster.

    Examples
    --------
    >>> match_to_previous(np.array([[0.0], [5.0]]), np.array([[5.1], [0.2]])).tolist()
    [1, 0]
    """
    centers = np.asarray(centers, dtype=np.float64)
    previous = np.asarray(previous_centers, dtype=np.float64)
    if centers.ndim != 2 or previous.ndim != 2 or centers.shape[1] != previous.shape[1]:
        raise ValueError(
            f"centers {centers.shape} and previous_centers {previous.shape} must be 2-D with the same features."
        )
    cost = np.linalg.norm(centers[:, None, :] - previous[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(cost)
    mapping = np.full(centers.shape[0], -1, dtype=np.int64)
    mapping[rows] = cols
    unmatched = np.flatnonzero(mapping < 0)
    mapping[unmatched] = previous.shape[0] + np.arange(unmatched.size)
    return mapping
