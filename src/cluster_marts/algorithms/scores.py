"""Geometry shared by every estimator: member means, distances, and the per-row scores.

:func:`row_scores` is the one place that turns distances to the centres into
the per-row scores every adapter publishes:

* ``distance``: euclidean distance of the row to its own cluster's centre
  (in the clustering space: scaled features, PCA scores, or the autoencoder
  embedding);
* ``normalized_distance``: ``distance / radius[own]``, where ``radius`` is
  the RMS distance of that cluster's training members to its centre.  About
  1 for a typical member whatever the method, the cluster's spread or the
  units: an anomaly score comparable across methods and clusters (BigQuery
  ML's normalised distance).  0 for a row on its centre; ``inf`` when the
  radius is 0 (all members on the centre) and the row is not on it;
* ``margin``: distance to the nearest *other* centre minus ``distance``.
  Positive when the own centre is the nearest one, the larger the safer;
  0 on the boundary; negative when the row sits closer to another cluster's
  centre (possible for methods whose assignment is not nearest-centre:
  GMM, agglomerative, spectral, density).  NaN when there are fewer than 2
  centres;
* ``runner_up``: id of that nearest other centre (-1 when fewer than 2).

A noise row (label -1) has no own cluster: its scores are taken against its
nearest centre, so its normalised distance says how far out it lies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RowScores", "row_scores", "member_means", "within_ss", "center_distances", "one_hot"]


def member_means(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Mean of the rows in each cluster (NaN row for an empty cluster).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)
        Cluster ids in ``0..k-1`` (rows labelled -1 are ignored).
    k : int

    Returns
    -------
    ndarray of shape (k, n_features)

    Examples
    --------
    >>> member_means(np.array([[0.0], [2.0], [9.0]]), np.array([0, 0, -1]), 2).ravel().tolist()
    [1.0, nan]
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    keep = labels >= 0
    sums = np.zeros((k, X.shape[1]))
    np.add.at(sums, labels[keep], X[keep])
    counts = np.bincount(labels[keep], minlength=k).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts[:, None]


def within_ss(X: np.ndarray, labels: np.ndarray) -> float:
    """Pooled within-cluster sum of squares W: squared distances to member means.

    This is Tibshirani et al.'s ``W_k``; for converged k-means it equals the
    inertia.  Rows labelled -1 (noise) are left out.

    Examples
    --------
    >>> within_ss(np.array([[0.0], [1.0], [10.0], [11.0]]), np.array([0, 0, 1, 1]))
    1.0
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    keep = labels >= 0
    if not keep.any():
        return 0.0
    means = member_means(X, labels, int(labels.max()) + 1)
    return float(((X[keep] - means[labels[keep]]) ** 2).sum())


def center_distances(Z: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Euclidean distance of every row to every centre, shape (n_samples, k).

    One centre at a time, so memory stays O(n_samples * n_features); a NaN
    centre (empty cluster) gives a NaN column.

    Examples
    --------
    >>> center_distances(np.array([[3.0, 4.0]]), np.array([[0.0, 0.0], [3.0, 4.0]])).tolist()
    [[5.0, 0.0]]
    """
    Z = np.asarray(Z, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    out = np.empty((Z.shape[0], centers.shape[0]))
    for j, c in enumerate(centers):
        out[:, j] = np.sqrt(((Z - c) ** 2).sum(axis=1))
    return out


def one_hot(labels: np.ndarray, k: int) -> np.ndarray:
    """Hard memberships: 1 in the row's cluster, 0 elsewhere; a noise row (-1) is all zeros."""
    labels = np.asarray(labels, dtype=np.int64)
    out = np.zeros((labels.size, k))
    keep = labels >= 0
    out[np.flatnonzero(keep), labels[keep]] = 1.0
    return out


@dataclass(frozen=True, eq=False)
class RowScores:
    """Per-row scores of a fit; see the module docstring.

    Attributes
    ----------
    distance, normalized_distance, margin : ndarray of shape (n_samples,), float64
    runner_up : ndarray of shape (n_samples,), int64
    """

    distance: np.ndarray
    normalized_distance: np.ndarray
    margin: np.ndarray
    runner_up: np.ndarray

    def take(self, rows: np.ndarray) -> RowScores:
        """The scores of ``rows`` (indices into the rows), in that order."""
        return RowScores(self.distance[rows], self.normalized_distance[rows], self.margin[rows], self.runner_up[rows])


def row_scores(distances: np.ndarray, labels: np.ndarray, radius: np.ndarray) -> RowScores:
    """Per-row distance, normalised distance, margin and runner-up centre.

    Parameters
    ----------
    distances : ndarray of shape (n_samples, k)
        Distance of every row to every centre (``transform``); NaN for an
        empty cluster's centre (never own, never runner-up).
    labels : ndarray of shape (n_samples,)
        Own cluster of each row, ``0..k-1``, or -1 (noise: scored against the
        nearest centre).
    radius : ndarray of shape (k,)
        RMS distance of each cluster's training members to its centre.

    Returns
    -------
    RowScores

    Examples
    --------
    >>> s = row_scores(np.array([[1.0, 4.0], [3.0, 2.0]]), np.array([0, 0]), np.array([2.0, 1.0]))
    >>> s.distance.tolist(), s.normalized_distance.tolist(), s.margin.tolist(), s.runner_up.tolist()
    ([1.0, 3.0], [0.5, 1.5], [3.0, -1.0], [1, 1])
    """
    d = np.where(np.isnan(np.asarray(distances, dtype=np.float64)), np.inf, distances)
    labels = np.asarray(labels, dtype=np.int64)
    radius = np.asarray(radius, dtype=np.float64)
    n, k = d.shape
    rows = np.arange(n)
    if k == 0:
        nan = np.full(n, np.nan)
        return RowScores(nan, nan.copy(), nan.copy(), np.full(n, -1, dtype=np.int64))
    own = np.where(labels >= 0, labels, d.argmin(axis=1))
    distance = d[rows, own]
    with np.errstate(divide="ignore", invalid="ignore"):
        normalized = np.where(distance == 0.0, 0.0, distance / radius[own])
    if k < 2:
        return RowScores(distance, normalized, np.full(n, np.nan), np.full(n, -1, dtype=np.int64))
    others = d.copy()
    others[rows, own] = np.inf
    runner_up = others.argmin(axis=1).astype(np.int64)
    with np.errstate(invalid="ignore"):
        margin = others[rows, runner_up] - distance
    return RowScores(distance, normalized, margin, runner_up)
