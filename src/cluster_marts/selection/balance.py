"""Balance-aware scoring of a partition, shared by k-selection and subdivision.

For dominant labels of a fit at k:

* ``silhouette`` on the scaled axis features (seeded sample above
  ``silhouette_sample_size`` rows; :func:`cluster_marts.selection.metrics.silhouette`);
* ``balance = 1 - min(1, std(sizes) / mean(sizes))`` over the k segment sizes
  (population std, ``ddof=0``; a segment no row is dominant in counts as size 0),
  so 1 means equal sizes and 0 means a coefficient of variation >= 1;
* ``combined = w_sil * silhouette + w_bal * balance`` with normalised weights;
* ``largest_share``: the largest segment's share of the rows.

A plain silhouette criterion happily returns one giant segment plus slivers
on long-tailed customer data; the balance term pushes towards usable sizes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cluster_marts.selection.metrics import silhouette

__all__ = ["PartitionScore", "balance_score", "combined_score", "score_partition", "best_index"]


@dataclass(frozen=True)
class PartitionScore:
    """Scores of one partition (see the module docstring)."""

    silhouette: float
    silhouette_method: str
    balance: float
    combined: float
    largest_share: float


def balance_score(sizes: Sequence[int] | np.ndarray) -> float:
    """``1 - min(1, std(sizes) / mean(sizes))``, population std.

    Examples
    --------
    >>> balance_score([50, 50])
    1.0
    >>> round(balance_score([90, 10]), 12)   # std 40, mean 50
    0.2
    """
    sizes = np.asarray(sizes, dtype=np.float64)
    mean = sizes.mean()
    if mean <= 0:
        return 0.0
    return float(1.0 - min(1.0, sizes.std(ddof=0) / mean))


def combined_score(silhouette_value: float, balance: float, weights: tuple[float, float]) -> float:
    """``w_sil * silhouette + w_bal * balance``; a zero weight ignores its term (even when NaN).

    Examples
    --------
    >>> combined_score(0.5, 1.0, (0.4, 0.6))
    0.8
    """
    w_sil, w_bal = weights
    total = w_sil + w_bal
    sil_term = 0.0 if w_sil == 0 else w_sil / total * silhouette_value
    bal_term = 0.0 if w_bal == 0 else w_bal / total * balance
    return float(sil_term + bal_term)


def score_partition(
    X: np.ndarray,
    labels: np.ndarray,
    k: int,
    *,
    weights: tuple[float, float],
    sample_size: int,
    random_state: int,
) -> PartitionScore:
    """Silhouette, balance, combined score and largest share of dominant ``labels`` in ``0..k-1``."""
    labels = np.asarray(labels, dtype=np.int64)
    sizes = np.bincount(labels, minlength=k)
    sil, method = silhouette(X, labels, sample_size=sample_size, random_state=random_state)
    bal = balance_score(sizes)
    return PartitionScore(sil, method, bal, combined_score(sil, bal, weights), float(sizes.max() / labels.size))


def best_index(values: Sequence[float] | np.ndarray) -> int | None:
    """Index of the largest finite value, the first on ties; None when none is finite.

    Examples
    --------
    >>> best_index([0.2, 0.5, 0.5, float("nan")])
    1
    """
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    if not finite.any():
        return None
    return int(np.argmax(np.where(finite, values, -np.inf)))
