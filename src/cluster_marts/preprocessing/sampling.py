"""The seeded fit sample: fit on a sample, score every row.

At warehouse scale a clustering is fitted on a sample of the rows and every
row is then scored with the fitted estimator (``predict`` /
``predict_memberships``).  :func:`fit_sample` draws that sample:

* all rows when there are at most ``size`` of them (small tables are fitted
  on everything, exactly as without sampling);
* otherwise ``size`` rows, **stratified by outlyingness**: the rows' euclidean
  distance to the column-wise median (in the scaled space the fit uses) is
  cut at its quantiles :data:`STRATA` (50 %, 75 %, 90 %, 95 %, 99 %, 99.9 %),
  and each stratum gives its proportional share of the sample (largest
  remainders), drawn without replacement.  A plain random sample of 5,000
  out of 1,000,000 rows holds 5 rows of the top 0.1 % on average but often
  2 or 9; the stratified one holds exactly its share, so rare extreme rows
  (heavy buyers, very long gaps) are in every fit, and the sample's
  distribution is the table's (no weights are needed).

The draw is seeded (``random_state``) and depends only on the rows' values
and order, so a rerun on the same table draws the same sample.  Rows are
returned in ascending order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["STRATA", "fit_sample"]

#: quantiles of the distance to the median that bound the strata (0 and 1 implied)
STRATA: tuple[float, ...] = (0.5, 0.75, 0.9, 0.95, 0.99, 0.999)


def _allocation(counts: np.ndarray, size: int) -> np.ndarray:
    """Proportional allocation of ``size`` over strata of ``counts`` rows, largest remainders first.

    Examples
    --------
    >>> _allocation(np.array([50, 30, 20]), 10).tolist()
    [5, 3, 2]
    >>> _allocation(np.array([5, 5, 1]), 3).tolist()
    [2, 1, 0]
    """
    exact = counts * (size / counts.sum())
    alloc = np.floor(exact).astype(np.int64)
    short = size - int(alloc.sum())
    if short:
        order = np.lexsort((np.arange(counts.size), -(exact - alloc)))  # ties: lower stratum first
        alloc[order[:short]] += 1
    return np.minimum(alloc, counts)


def fit_sample(X: np.ndarray, size: int, random_state: int) -> np.ndarray:
    """Row indices of the fit sample of ``X``; see the module docstring.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The rows as the fit sees them (scaled features).
    size : int
        Sample size (>= 1); all rows when ``n_samples <= size``.
    random_state : int

    Returns
    -------
    ndarray of int64
        Sorted row indices, ``min(size, n_samples)`` of them.

    Examples
    --------
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> fit_sample(X, 50, 0).size, fit_sample(X, 5, 0).size
    (20, 5)
    >>> bool((fit_sample(X, 5, 0) == fit_sample(X, 5, 0)).all())
    True
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    if n <= size:
        return np.arange(n, dtype=np.int64)
    distance = np.sqrt(((X - np.median(X, axis=0)) ** 2).sum(axis=1))
    stratum = np.searchsorted(np.quantile(distance, STRATA), distance, side="right")
    counts = np.bincount(stratum, minlength=len(STRATA) + 1)
    alloc = _allocation(counts, size)
    rng = np.random.default_rng(random_state)
    order = np.argsort(stratum, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)])
    picks = [rng.choice(order[starts[i]:starts[i + 1]], alloc[i], replace=False)
             for i in range(counts.size) if alloc[i]]
    return np.sort(np.concatenate(picks)).astype(np.int64)
