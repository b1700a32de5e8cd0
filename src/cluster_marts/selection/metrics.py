"""Validation of clusters.

Cluster quality that scales: silhouette costs O(n_samples**2), so above
``sample_size`` rows it is computed on a seeded sample and the variant used is
reported.  The input checks that used to live here moved to
:mod:`cluster_marts.preprocessing.inputs` (still importable from here).
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import pairwise_distances_chunked, silhouette_samples, silhouette_score
from sklearn.utils import check_random_state

from cluster_marts.preprocessing.inputs import check_frame, feature_matrix

__all__ = [
    "fit_labels",
    "silhouette",
    "per_sample_silhouette",
    "n_labels_ok",
    "check_frame",
    "feature_matrix",
]


def fit_labels(fit: object) -> np.ndarray:
    """The ``labels`` (or, for an estimator, ``labels_``) of a fit, as int64."""
    labels = getattr(fit, "labels", None)
    if labels is None:
        labels = fit.labels_  # an estimator's fitted labels
    return np.asarray(labels, dtype=np.int64)


def n_labels_ok(labels: np.ndarray) -> bool:
    """True when silhouette/CH/DB are defined: ``2 <= n_labels <= n_samples - 1``."""
    labels = np.asarray(labels)
    return 2 <= np.unique(labels).size <= labels.size - 1


def silhouette(X: np.ndarray, labels: np.ndarray, *, sample_size: int, random_state: int) -> tuple[float, str]:
    """Mean silhouette, on a seeded sample of rows when there are many.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)
    sample_size : int
        Use all rows when ``n_samples <= sample_size``, else this many rows
        drawn with ``random_state`` (same rows for every k).
    random_state : int

    Returns
    -------
    score : float
        NaN when undefined.
    method : str
        ``"full"``, ``f"sampled_{sample_size}"`` or ``"undefined"`` (fewer
        than 2 clusters, every row its own cluster, or a sample holding a
        single cluster).
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels)
    if not n_labels_ok(labels):
        return float("nan"), "undefined"
    if X.shape[0] <= sample_size:
        return float(silhouette_score(X, labels)), "full"
    rows = check_random_state(random_state).permutation(X.shape[0])[:sample_size]
    if not n_labels_ok(labels[rows]):
        return float("nan"), "undefined"
    score = silhouette_score(X, labels, sample_size=sample_size, random_state=random_state)
    return float(score), f"sampled_{sample_size}"


def _reference_rows(labels: np.ndarray, per_cluster: int, random_state: int) -> np.ndarray:
    """Up to ``per_cluster`` seeded rows from every cluster, sorted."""
    rng = check_random_state(random_state)
    picked = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if members.size > per_cluster:
            members = np.sort(rng.choice(members, size=per_cluster, replace=False))
        picked.append(members)
    return np.sort(np.concatenate(picked))


def _sampled_silhouette_samples(X: np.ndarray, labels: np.ndarray, sample_size: int, random_state: int) -> np.ndarray:
    """Silhouette of every row against a per-cluster reference sample.

    a(i) and b(i) are mean distances *within one cluster*, so estimating each
    cluster's mean from its own sample of ``ceil(sample_size / k)`` members is
    unbiased; when every cluster fits in its share the result is exact.
    """
    codes = np.unique(labels, return_inverse=True)[1].ravel()
    k = int(codes.max()) + 1
    ref = _reference_rows(codes, int(np.ceil(sample_size / k)), random_state)
    onehot = np.zeros((ref.size, k))
    onehot[np.arange(ref.size), codes[ref]] = 1.0
    sums = np.vstack(list(pairwise_distances_chunked(X, X[ref], reduce_func=lambda chunk, start: chunk @ onehot)))
    counts = np.tile(onehot.sum(axis=0), (X.shape[0], 1))
    rows = np.arange(X.shape[0])
    in_ref = np.isin(rows, ref)
    counts[rows[in_ref], codes[in_ref]] -= 1.0  # a row's distance to itself is 0; leave it out of a(i)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    own = means[rows, codes]
    means[rows, codes] = np.inf
    means[counts == 0] = np.inf
    nearest = means.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = (nearest - own) / np.maximum(own, nearest)
    scores[(counts[rows, codes] == 0) | ~np.isfinite(scores)] = 0.0  # singleton clusters score 0, as in sklearn
    return scores


def per_sample_silhouette(
    X: np.ndarray,
    labels: np.ndarray,
    *,
    sample_size: int | None = None,
    random_state: int = 0,
) -> np.ndarray:
    """Silhouette coefficient of every row.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)
    sample_size : int or None, default=None
        ``None`` or ``n_samples <= sample_size``: exact
        (:func:`sklearn.metrics.silhouette_samples`).  Otherwise each row is
        compared with a seeded reference sample of ``ceil(sample_size / k)``
        members per cluster, which costs O(n_samples * sample_size).
    random_state : int, default=0
        Seed of the reference sample.

    Returns
    -------
    ndarray of shape (n_samples,)
        Zeros when silhouette is undefined (fewer than 2 clusters, or every
        row its own cluster).
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels)
    if not n_labels_ok(labels):
        return np.zeros(labels.size)
    if sample_size is None or X.shape[0] <= sample_size:
        return np.asarray(silhouette_samples(X, labels), dtype=np.float64)
    return _sampled_silhouette_samples(X, labels, sample_size, random_state)
