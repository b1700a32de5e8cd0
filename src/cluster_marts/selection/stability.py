"""Stability of a clustering: how much of it survives a refit on resampled rows.

:func:`bootstrap_stability` draws ``n_resamples`` bootstrap resamples of the
rows (seeded), refits the clustering on each, and compares the refit's labels
with the full fit's on the rows the resample covers (each drawn row once, about
63% of the rows): the score is the mean adjusted Rand index, 1 when every refit
finds the same partition, near 0 when the refits agree no better than chance.
ARI ignores the label numbering, so refits need no matching of ids.

A k whose clusters are really in the data comes back on almost every
resample; a k that splits a group in two, or merges two of several equally
distant groups, splits or merges differently from one resample to the next
(Ben-Hur, Elisseeff and Guyon 2002; Lange et al. 2004).  The k grid
(:func:`~cluster_marts.selection.grid.evaluate_k_grid`) computes it per k when
asked, the ``stability`` rule (:mod:`~cluster_marts.selection.rules`) picks the
most stable eligible k, and the workbench's ``stability`` metric scores the
spec's fit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.metrics import adjusted_rand_score

from cluster_marts.config.common import DEFAULT_STABILITY_RESAMPLES
from cluster_marts.selection.metrics import fit_labels

__all__ = ["DEFAULT_STABILITY_RESAMPLES", "bootstrap_stability"]


def bootstrap_stability(
    labels: np.ndarray,
    X: np.ndarray,
    refit: Callable[[np.ndarray], Any],
    *,
    n_resamples: int = DEFAULT_STABILITY_RESAMPLES,
    random_state: int = 0,
) -> float:
    """Mean ARI between the full fit and refits on bootstrap resamples, on the rows each resample covers.

    Parameters
    ----------
    labels : ndarray of shape (n_samples,)
        The full fit's labels of the rows of ``X``.
    X : ndarray of shape (n_samples, n_features)
        The rows the full fit saw.
    refit : callable
        ``refit(X_resampled)`` fits the same clustering (same method, k and
        seed) and returns anything with ``labels`` or ``labels_`` (a fitted
        estimator, a :class:`~cluster_marts.selection.grid.GridFit`).
    n_resamples : int, default=10
        Bootstrap resamples (>= 1).
    random_state : int, default=0
        Seeds the draws.

    Returns
    -------
    float
        In [-1, 1] (ARI), typically [0, 1].

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> X = np.r_[np.zeros((20, 1)), np.full((20, 1), 10.0)] + np.linspace(0, 1, 40)[:, None]
    >>> full = KMeans(2, n_init=3, random_state=0).fit(X).labels_
    >>> bootstrap_stability(full, X, lambda Xb: KMeans(2, n_init=3, random_state=0).fit(Xb), n_resamples=3)
    1.0
    """
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be >= 1, got {n_resamples}.")
    labels = np.asarray(labels)
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(random_state)
    scores = []
    for _ in range(n_resamples):
        draw = rng.integers(0, X.shape[0], size=X.shape[0])
        rows, first = np.unique(draw, return_index=True)  # each covered row once, at its first draw
        refitted = fit_labels(refit(X[draw]))
        scores.append(adjusted_rand_score(labels[rows], refitted[first]))
    return float(np.mean(scores))
