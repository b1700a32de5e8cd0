"""Balance of a partition and the balance-aware combined score (columns of the k grid).

* ``balance = 1 - min(1, std(sizes) / mean(sizes))`` over the k cluster sizes
  (population std, ``ddof=0``; a cluster no row is in counts as size 0),
  so 1 means equal sizes and 0 means a coefficient of variation >= 1;
* ``combined = w_sil * silhouette + w_bal * balance`` with normalised weights
  (:data:`DEFAULT_BALANCE_WEIGHTS` unless the domain configures them).

A plain silhouette criterion happily returns one giant segment plus slivers
on long-tailed customer data; the balance term pushes towards usable sizes
(rule ``balanced`` of :func:`~cluster_marts.selection.rules.choose_k`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["DEFAULT_BALANCE_WEIGHTS", "balance_score", "combined_score"]

DEFAULT_BALANCE_WEIGHTS = (0.4, 0.6)  # (w_silhouette, w_balance)


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
