"""Native thread pools of the fits: one thread when the fits see a sample.

Fits run on samples (:mod:`cluster_marts.preprocessing.sampling`) of at most
tens of thousands of rows.  On such tables k-means, mixtures and silhouettes
gain nothing from OpenMP / BLAS threads, and on a busy machine (dbt running
other models, several fits in worker processes) OpenMP spin-waiting made
k-means up to 100x slower (subdivision splits at 100,000 customers: 22 s with
threads, 1.3 s without).  :func:`fit_threads` limits the pools to one thread
while the fits see fewer than :data:`SINGLE_THREAD_BELOW` rows; results do not
depend on the thread count beyond float rounding.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from threadpoolctl import threadpool_limits

__all__ = ["SINGLE_THREAD_BELOW", "fit_threads"]

SINGLE_THREAD_BELOW = 50_000


def fit_threads(n_fit_rows: int) -> AbstractContextManager:
    """One native thread when the fits see fewer than :data:`SINGLE_THREAD_BELOW` rows, else no limit."""
    return threadpool_limits(limits=1) if n_fit_rows < SINGLE_THREAD_BELOW else nullcontext()
