"""Segment centres in population terms: what the naming rules of the customer segments read.

A segment's centre is its members' mean of each feature in original units
(:class:`~cluster_marts.identity.lineage.ClusterMemory`).  Naming rules speak
of the population ("frequency above the 90th percentile of customers"), so
each segment is also placed by its members' **median**, given as its
**mid-rank percentile** among all rows of the fit:
``100 * (#below + #equal / 2) / n``.  The median, not the mean: a segment of
one-order customers with a few two-order ones has median 1 order, its mean
sits above every one-order customer.  Ties count half, so a median on a value
half the customers share (one order, a return rate of 0) reads as the middle
of that block, not as its top.

:func:`centre_records` makes one row per segment (and sub-segment) and
feature: the ``segment_centre`` records of a customer fit, which the SQL
model ``customer_segment_names`` names.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cluster_marts.identity.lineage import ClusterMemory

__all__ = ["mid_rank_percentiles", "centre_records", "CENTRE_COLUMNS"]

CENTRE_COLUMNS = ["axis", "method", "run_id", "segment_id", "segment_path", "parent_path", "depth", "feature",
                  "centre", "median", "percentile", "size"]


def mid_rank_percentiles(X_sorted: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Mid-rank percentile (0..100) of each value among the rows of its column.

    Parameters
    ----------
    X_sorted : ndarray of shape (n_samples, n_features)
        Every column sorted ascending (NaN last: they count as above every value).
    values : ndarray of shape (m, n_features)

    Returns
    -------
    ndarray of shape (m, n_features)
        NaN where the value is NaN or the column has no finite row.

    Examples
    --------
    >>> mid_rank_percentiles(np.array([[0.0], [0.0], [1.0], [2.0]]), np.array([[0.0], [1.0], [5.0]])).ravel().tolist()
    [25.0, 62.5, 100.0]
    """
    X_sorted = np.asarray(X_sorted, dtype=np.float64)
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    out = np.full(values.shape, np.nan)
    for j in range(X_sorted.shape[1]):
        column = X_sorted[:, j]
        column = column[np.isfinite(column)]
        if column.size == 0:
            continue
        below = np.searchsorted(column, values[:, j], side="left")
        at_most = np.searchsorted(column, values[:, j], side="right")
        out[:, j] = np.where(np.isfinite(values[:, j]), 100.0 * (below + at_most) / 2.0 / column.size, np.nan)
    return out


def _rows(axis: str, method: str, run_id: str, memory: ClusterMemory, medians: np.ndarray, X_sorted: np.ndarray,
          parent: str | None) -> pd.DataFrame:
    ids = memory.ids.ids.astype(np.int64)
    k, p = memory.means.shape
    paths = np.array([str(i) if parent is None else f"{parent}.{i}" for i in ids], dtype=object)
    return pd.DataFrame({
        "axis": axis, "method": method, "run_id": run_id,
        "segment_id": np.repeat(ids, p), "segment_path": np.repeat(paths, p),
        "parent_path": parent, "depth": 0 if parent is None else parent.count(".") + 1,
        "feature": np.tile(np.array(memory.features, dtype=object), k),
        "centre": memory.means.ravel(), "median": medians.ravel(),
        "percentile": mid_rank_percentiles(X_sorted, medians).ravel(),
        "size": np.repeat(memory.sizes.astype(np.int64), p),
    }, columns=CENTRE_COLUMNS)


def _node_medians(X: np.ndarray, leaf_codes: np.ndarray, leaves: np.ndarray, paths: list[str]) -> np.ndarray:
    """Members' median of every feature for each node path (its own rows and its descendants')."""
    out = np.full((len(paths), X.shape[1]), np.nan)
    for i, path in enumerate(paths):
        under = np.flatnonzero([leaf == path or leaf.startswith(path + ".") for leaf in leaves])
        rows = np.isin(leaf_codes, under)
        if rows.any():
            out[i] = np.nanmedian(X[rows], axis=0)
    return out


def centre_records(axis: str, method: str, run_id: str, X: np.ndarray, paths: np.ndarray, memory: ClusterMemory,
                   children: Mapping[str, ClusterMemory] | None = None) -> pd.DataFrame:
    """One row per segment and feature, then per sub-segment and feature: centre, median and its percentile.

    Parameters
    ----------
    axis, method, run_id : str
    X : ndarray of shape (n_samples, n_features)
        Every row of the fit, original units, columns in ``memory.features`` order.
    paths : ndarray of str, shape (n_samples,)
        Every row's published leaf path (``"3"``, ``"3.1"``); a segment's members are the rows on its path
        or below it.
    memory : ClusterMemory
        The top-level segments (published ids).
    children : mapping of str to ClusterMemory, optional
        Each split's children by parent path (:class:`~cluster_marts.fitting.children.ChildIds`).

    Returns
    -------
    DataFrame
        Columns :data:`CENTRE_COLUMNS`: ``segment_path`` the published path, ``parent_path``
        (None at the top), ``depth`` (0 at the top), ``centre`` (members' mean, original units),
        ``median`` (members' median), ``percentile`` (the median's :func:`mid_rank_percentiles`
        among the rows of ``X``), ``size`` (members).
    """
    X = np.asarray(X, dtype=np.float64)
    X_sorted = np.sort(X, axis=0)
    leaf_codes, leaves = pd.factorize(pd.Series(np.asarray(paths).astype(str)), sort=True)
    leaves = np.asarray(leaves, dtype=str)
    nodes = [(None, memory), *sorted((children or {}).items())]
    frames = []
    for parent, node in nodes:
        node_paths = [str(i) if parent is None else f"{parent}.{i}" for i in node.ids.ids]
        medians = _node_medians(X, leaf_codes, leaves, node_paths)
        frames.append(_rows(axis, method, run_id, node, medians, X_sorted, parent))
    return pd.concat(frames, ignore_index=True)
