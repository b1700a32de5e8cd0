"""Canonical cluster ids (one rule for every domain), and ids kept from the previous run.

The rule
--------
Cluster ids ``0..k-1`` are ordered by ascending **member mean of the leading
feature in the scaled space**: the mean, over the rows of the cluster, of the
configured ``canonical_order`` feature (else the first feature) after
scaling.  Ties (means rounded to 10 decimals, so floating-point noise cannot
swap two clusters) are broken by the members' means of the other features in
feature order, then by size, larger first.  Noise (-1, density methods) stays
-1.  A cluster without members (a soft method's segment that no row is
dominant in) takes the caller's fallback centre instead of its member mean
(customers: the membership-weighted mean); without one it sorts last.

Every domain applies it through :func:`canonical_labels`: providers and demand
(:mod:`cluster_marts.adapters.fitting`, scaled configured features,
``canonical_order``), customers (:mod:`cluster_marts.adapters.customers.core`,
the axis's scaled features, first feature), the workbench
(the spec's fit through :mod:`cluster_marts.fitting`: the scaled spec features, the first kept feature; the
menu's comparison runs, :mod:`cluster_marts.adapters.workbench.menu`: the prepared matrix, first column) and
subdivision children (:mod:`cluster_marts.selection.subdivision`).  For k-means
the member means are the centroids, so the ids are those of ordering by
centroid.  The ids depend on the partition only: not on the row order, the
seed or the algorithm's own numbering.

Keeping ids across builds
-------------------------
Canonical ids are a function of one fit: when the data grow, a new row can
shift a cluster's mean past another's.  :mod:`cluster_marts.identity.lineage`
keeps the published ids of the previous build's clusters
(:func:`~cluster_marts.identity.lineage.keep_ids`); canonical ids number a
first build and the clusters that are new.
"""

from __future__ import annotations

import numpy as np

from cluster_marts.algorithms.scores import member_means

__all__ = ["canonical_permutation", "canonical_labels"]

_DECIMALS = 10


def canonical_permutation(keys: np.ndarray, sizes: np.ndarray, order_column: int = 0) -> np.ndarray:
    """Old cluster ids listed in canonical order, from per-cluster keys.

    Parameters
    ----------
    keys : ndarray of shape (k, n_features)
        Member mean of each cluster (NaN rows sort last).
    sizes : ndarray of shape (k,)
        Number of rows in each cluster.
    order_column : int, default=0
        Column of ``keys`` that orders the clusters.

    Returns
    -------
    ndarray of shape (k,)
        ``order[new_id] == old_id``.

    Examples
    --------
    >>> canonical_permutation(np.array([[3.0, 0.0], [-1.0, 5.0], [3.0, -2.0]]), np.array([2, 1, 3])).tolist()
    [1, 2, 0]
    """
    keys = np.round(np.asarray(keys, dtype=np.float64), _DECIMALS)
    n_features = keys.shape[1]
    if not 0 <= order_column < n_features:
        raise ValueError(f"order_column={order_column} is out of range for {n_features} features.")
    others = [j for j in range(n_features) if j != order_column]
    # np.lexsort sorts by the last key first: primary key goes last.
    sort_keys = [-np.asarray(sizes)] + [keys[:, j] for j in reversed(others)] + [keys[:, order_column]]
    return np.lexsort(sort_keys)


def canonical_labels(
    X: np.ndarray,
    labels: np.ndarray,
    n_clusters: int | None = None,
    *,
    order_column: int = 0,
    fallback: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Renumber clusters by the canonical rule of the module docstring.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The rows in the scaled space whose member means order the clusters.
    labels : ndarray of shape (n_samples,)
        Cluster ids ``0..n_clusters-1`` as the algorithm numbered them; -1 is noise.
    n_clusters : int, optional
        Number of clusters (default ``labels.max() + 1``); clusters without
        members sort last (unless ``fallback`` places them).
    order_column : int, default=0
        Column of ``X`` holding the leading feature.
    fallback : ndarray of shape (n_clusters, n_features), optional
        Key of a cluster without members (row ``j`` for old id ``j``).

    Returns
    -------
    new_labels : ndarray of shape (n_samples,), int64
        Noise stays -1.
    order : ndarray of shape (n_clusters,)
        ``order[new_id] == old_id``: reorder per-cluster arrays with
        ``centers[order]``, ``memberships[:, order]``.

    Examples
    --------
    >>> new, order = canonical_labels(np.array([[5.0], [5.2], [1.0], [9.0]]), np.array([0, 0, 1, -1]))
    >>> new.tolist(), order.tolist()
    ([1, 1, 0, -1], [1, 0])
    """
    labels = np.asarray(labels, dtype=np.int64)
    X = np.asarray(X, dtype=np.float64)
    k = (int(labels.max()) + 1 if labels.size else 0) if n_clusters is None else int(n_clusters)
    if labels.size and labels.max() >= k:
        raise ValueError(f"labels must lie in -1..{k - 1} for n_clusters={k}.")
    keys = member_means(X, labels, k)
    if fallback is not None:
        empty = np.isnan(keys).any(axis=1)
        keys[empty] = np.asarray(fallback, dtype=np.float64)[empty]
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    order = canonical_permutation(keys, sizes, order_column)
    new_id_of_old = np.empty_like(order)
    new_id_of_old[order] = np.arange(order.size)
    new_labels = np.where(labels >= 0, new_id_of_old[np.maximum(labels, 0)] if k else -1, -1)
    return new_labels.astype(np.int64), order

