"""Gap statistic (Tibshirani, Walther and Hastie 2001).

For each k, compare the log within-cluster sum of squares of the data,
``log W_k``, with its expectation under a null reference distribution:

* reference sets: ``B`` uniform draws over the box aligned with the principal
  components of the data (SVD of the centred data; sample uniformly between
  the min and max of ``X @ V`` in every rotated direction; rotate back and
  add the mean), seeded from ``random_state``;
* ``Gap(k) = mean_b log W*_kb - log W_k``;
* ``s_k = sd_k * sqrt(1 + 1/B)`` with ``sd_k = std_b(log W*_kb)`` (``ddof=0``);
* rule: the smallest k with ``Gap(k) >= Gap(k+1) - s_{k+1}``.

``W`` is the pooled within-cluster sum of squares around member means
(:func:`~cluster_marts.algorithms.scores.within_ss`); a zero ``W`` is floored at the
smallest positive float so the log stays finite.

References
----------
Tibshirani, R., Walther, G. and Hastie, T. (2001), "Estimating the number of
clusters in a data set via the gap statistic", J. R. Statist. Soc. B 63(2),
411-423.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from sklearn.utils.extmath import svd_flip

from cluster_marts.algorithms.base import ClusterEstimator
from cluster_marts.algorithms.registry import fit_k
from cluster_marts.algorithms.scores import within_ss
from cluster_marts.selection.metrics import fit_labels

__all__ = [
    "REFERENCE_N_INIT", "log_w", "reference_sets", "reference_fit", "gap_from_logs", "gap_statistic", "gap_choice",
]

REFERENCE_N_INIT = 3  # restarts per reference fit: min(n_init, REFERENCE_N_INIT)
_TINY = np.finfo(np.float64).tiny


def log_w(w: float | np.ndarray) -> np.ndarray:
    """``log(W)`` with ``W`` floored at the smallest positive float."""
    return np.log(np.maximum(np.asarray(w, dtype=np.float64), _TINY))


def reference_sets(X: np.ndarray, n_references: int, random_state: int) -> Iterator[np.ndarray]:
    """Uniform reference sets over the principal-component box of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_references : int
        Number B of sets to draw.
    random_state : int
        Seed of :func:`numpy.random.default_rng`; set ``b`` is the ``b``-th
        draw of that generator.

    Yields
    ------
    ndarray of shape (n_samples, n_features)
        One reference set; it lies in the affine span of ``X`` and inside its
        rotated bounding box.  Signs of the components are fixed as in
        scikit-learn (:func:`~sklearn.utils.extmath.svd_flip`), so the draws
        do not depend on the LAPACK build.
    """
    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(axis=0)
    centred = X - mean
    u, _, vt = np.linalg.svd(centred, full_matrices=False)
    _, vt = svd_flip(u, vt, u_based_decision=False)
    rotated = centred @ vt.T
    low, high = rotated.min(axis=0), rotated.max(axis=0)
    rng = np.random.default_rng(random_state)
    for _ in range(n_references):
        yield rng.uniform(low, high, size=rotated.shape) @ vt + mean


def gap_from_logs(log_w_data: Sequence[float], log_w_ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gap and its standard error from log dispersions.

    Parameters
    ----------
    log_w_data : sequence of float, length n_k
        ``log W_k`` of the data at each k.
    log_w_ref : ndarray of shape (B, n_k)
        ``log W*_kb`` of reference set ``b`` at each k.

    Returns
    -------
    gap : ndarray of shape (n_k,)
        ``mean_b log W*_kb - log W_k``.
    s : ndarray of shape (n_k,)
        ``std_b(log W*_kb) * sqrt(1 + 1/B)`` (``ddof=0``).

    Examples
    --------
    >>> gap, s = gap_from_logs([1.0], np.array([[2.0], [4.0]]))
    >>> float(gap[0]), round(float(s[0]) ** 2, 12)
    (2.0, 1.5)
    """
    ref = np.asarray(log_w_ref, dtype=np.float64)
    if ref.ndim != 2 or ref.shape[0] < 1:
        raise ValueError(f"log_w_ref must have shape (B >= 1, n_k), got {ref.shape}.")
    n_ref = ref.shape[0]
    gap = ref.mean(axis=0) - np.asarray(log_w_data, dtype=np.float64)
    return gap, ref.std(axis=0, ddof=0) * np.sqrt(1.0 + 1.0 / n_ref)


def reference_fit(algorithm: str, random_state: int, n_init: int) -> Callable[[np.ndarray, int], ClusterEstimator]:
    """The seeded reference fit of the gap statistic: ``(X_ref, k) -> fitted estimator``.

    Fits ``algorithm`` of the registry
    (:func:`~cluster_marts.algorithms.registry.fit_k`) with the run's
    ``random_state`` and ``min(n_init, REFERENCE_N_INIT)`` restarts.
    """
    ref_init = min(n_init, REFERENCE_N_INIT)
    return lambda X_ref, k: fit_k(algorithm, X_ref, k, random_state=random_state, n_init=ref_init)


def gap_statistic(
    X: np.ndarray,
    ks: Sequence[int],
    log_w_data: Sequence[float],
    fit: Callable[[np.ndarray, int], Any],
    *,
    n_references: int,
    random_state: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit ``fit`` on B reference sets at every k and return the gap and s_k.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The (preprocessed) data the algorithm clustered.
    ks : sequence of int
        The k grid.
    log_w_data : sequence of float
        ``log W_k`` of the data fits, one per k (see :func:`log_w`).
    fit : callable
        ``fit(X_ref, k)`` returns an object with the ``labels`` (or
        ``labels_``) of the reference set at k, seeded (e.g.
        :func:`reference_fit`).
    n_references : int
        B >= 1.
    random_state : int
        Seeds the reference draws.

    Returns
    -------
    gap, s : ndarray of shape (len(ks),)
        See :func:`gap_from_logs`.
    """
    if n_references < 1:
        raise ValueError(f"n_references must be >= 1, got {n_references}.")
    log_ref = np.empty((n_references, len(ks)))
    for b, reference in enumerate(reference_sets(X, n_references, random_state)):
        for j, k in enumerate(ks):
            log_ref[b, j] = log_w(within_ss(reference, fit_labels(fit(reference, k))))
    return gap_from_logs(log_w_data, log_ref)


def gap_choice(
    ks: Sequence[int], gap: Sequence[float], s: Sequence[float], eligible: Sequence[bool]
) -> tuple[int | None, bool]:
    """Tibshirani's rule restricted to eligible k.

    Parameters
    ----------
    ks : sequence of int
        Consecutive k values, ascending.
    gap, s : sequence of float
        ``Gap(k)`` and ``s_k`` at each k.
    eligible : sequence of bool
        Which k may be chosen (``Gap(k+1)`` is used whether or not ``k+1`` is).

    Returns
    -------
    k : int or None
        The smallest eligible k with ``Gap(k) >= Gap(k+1) - s_{k+1}``; when
        none, the eligible k with the largest gap (ties: smallest k);
        ``None`` when no eligible k has a finite gap.
    met : bool
        Whether the inequality picked the k (False for the fallback).

    Examples
    --------
    >>> gap_choice([2, 3, 4], [0.5, 0.9, 0.8], [0.1, 0.1, 0.2], [True, True, True])
    (3, True)
    """
    ks = np.asarray(ks, dtype=np.int64)
    gap, s = np.asarray(gap, dtype=np.float64), np.asarray(s, dtype=np.float64)
    ok = np.asarray(eligible, dtype=bool) & np.isfinite(gap)
    for i in range(ks.size - 1):
        if ok[i] and ks[i + 1] == ks[i] + 1 and gap[i] >= gap[i + 1] - s[i + 1]:
            return int(ks[i]), True
    if not ok.any():
        return None, False
    masked = np.where(ok, gap, -np.inf)
    return int(ks[int(np.argmax(masked))]), False
