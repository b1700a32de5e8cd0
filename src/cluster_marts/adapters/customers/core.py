"""Segment one axis with one method: k grid, choice, canonical ids, subdivision.

:func:`segment_axis` is the whole computation behind the tables of
:mod:`cluster_marts.adapters.customers.pipeline`; :func:`axis_run_id` names it.

Canonical segment ids: ascending centroid on the axis's first feature, where
the centroid is the mean of the members by dominant segment in scaled space
(membership-weighted mean for a segment no row is dominant in), ties by the
other coordinates, then size (larger first) -- :mod:`cluster_marts.identity.canonical`.

Below :data:`SINGLE_THREAD_BELOW` rows the fits run with native thread pools
(OpenMP, BLAS) limited to one thread: on such small tables k-means,
mixtures and silhouettes gain nothing from threads, and on a busy machine
(dbt running several models at once) OpenMP spin-waiting made k-means 100x
slower.  Results do not depend on the thread count beyond float rounding.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from threadpoolctl import threadpool_limits

from cluster_marts.algorithms.registry import member_means
from cluster_marts.identity.canonical import canonical_permutation
from cluster_marts.identity.run_id import run_id as content_run_id
from cluster_marts.errors import InputDataError
from cluster_marts.preprocessing.scaling import fit_scaler, transform
from cluster_marts.selection.balance import best_index, score_partition
from cluster_marts.algorithms.methods import METHODS, SoftFit
from cluster_marts.config.segmentation import SegmentationSettings
from cluster_marts.selection.subdivision import Subdivision, subdivide

__all__ = ["AxisResult", "axis_run_id", "segment_axis", "canonical_order", "K_METRICS"]

SINGLE_THREAD_BELOW = 50_000
K_METRICS = ("partition_coefficient", "partition_entropy", "bic", "aic", "reconstruction_error")


@dataclass(eq=False)
class AxisResult:
    """Everything the entry points publish for one (axis, method); arrays are read-only, rows sorted by id."""

    axis: str
    method: str
    run_id: str
    n_samples: int
    k_grid: pd.DataFrame  # one row per k; copy before changing
    k: int
    memberships: np.ndarray  # (n, k), canonical columns
    labels: np.ndarray  # (n,), dominant canonical segment
    max_membership: np.ndarray
    second_ids: np.ndarray  # (n,), -1 when undefined
    second_membership: np.ndarray
    distances: np.ndarray  # (n,), to own centre, clustering space
    subdivision: Subdivision
    metrics: dict[str, Any]


def _relevant_settings(s: SegmentationSettings, axis: str, method: str) -> dict[str, Any]:
    config = {name: value for name, value in s.as_dict().items() if name not in ("axes", "methods", *METHODS)}
    config.update(axis=axis, features=list(s.features_of(axis)), method=method)
    block = getattr(s, method, None)
    config[method] = dataclasses.asdict(block) if dataclasses.is_dataclass(block) else None
    if method != "gmm":
        config.pop("high_confidence"), config.pop("low_confidence")
    return config


def axis_run_id(s: SegmentationSettings, axis: str, method: str, ids: pd.Series, X: np.ndarray) -> str:
    """:func:`cluster_marts.identity.run_id.run_id` of an (axis, method) fit.

    Hashes the settings relevant to that axis and method, the sorted ids and
    the raw axis features, so the tables of one fit share it and a rerun on the
    same data reproduces it.
    """
    return content_run_id(_relevant_settings(s, axis, method), ids, X)


def canonical_order(Xs: np.ndarray, memberships: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``order[new_id] == old_id`` by the rule of the module docstring."""
    k = memberships.shape[1]
    means = member_means(Xs, labels, k)
    empty = np.isnan(means).any(axis=1)
    if empty.any():
        w = memberships[:, empty]
        means[empty] = (w.T @ Xs) / np.maximum(w.sum(axis=0), np.finfo(np.float64).tiny)[:, None]
    return canonical_permutation(means, np.bincount(labels, minlength=k), 0)


def _grid(Xs: np.ndarray, s: SegmentationSettings, method: str, model: str) -> tuple[pd.DataFrame, SoftFit, float]:
    n = Xs.shape[0]
    ks = list(range(s.k_min, min(s.k_max, n - 1) + 1))
    if not ks:
        raise InputDataError(
            f"model {model}: {n} rows leave no k in k_min={s.k_min}..min(k_max, n_samples - 1); "
            "lower k_min in config.meta or add data upstream"
        )
    space = METHODS[method].prepare(Xs, s)
    rows, chosen, chosen_value, chosen_sil = [], None, -np.inf, np.nan
    key = "silhouette" if s.selection_rule == "silhouette" else "combined_score"
    for k in ks:
        fit = METHODS[method].fit(space, k, s)
        score = score_partition(Xs, fit.memberships.argmax(axis=1), k, weights=s.balance_weights,
                                sample_size=s.silhouette_sample_size, random_state=s.random_state)
        row = {"k": k, "silhouette": score.silhouette, "silhouette_method": score.silhouette_method,
               "balance": score.balance, "combined_score": score.combined, "largest_share": score.largest_share}
        row.update({name: float(fit.metrics.get(name, np.nan)) for name in K_METRICS})
        rows.append(row)
        if chosen is None or (np.isfinite(row[key]) and row[key] > chosen_value):
            chosen, chosen_value, chosen_sil = fit, row[key] if np.isfinite(row[key]) else -np.inf, score.silhouette
    grid = pd.DataFrame(rows)
    sil_best, comb_best = best_index(grid["silhouette"]), best_index(grid["combined_score"])
    chosen_index = (sil_best if key == "silhouette" else comb_best) or 0
    grid["is_silhouette_best"] = grid.index == sil_best
    grid["is_combined_best"] = grid.index == comb_best
    grid["is_chosen"] = grid.index == chosen_index
    assert chosen is not None and int(grid.loc[chosen_index, "k"]) == chosen.memberships.shape[1]
    return grid, chosen, chosen_sil


def _runner_up(fit: SoftFit, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n, k = fit.memberships.shape
    rows = np.arange(n)
    if k < 2:
        return np.full(n, -1, dtype=np.int64), np.zeros(n)
    if fit.hard:
        d = fit.distances.copy()
        d[rows, labels] = np.inf
        return d.argmin(axis=1).astype(np.int64), np.zeros(n)
    u = fit.memberships.copy()
    u[rows, labels] = -np.inf
    second = u.argmax(axis=1).astype(np.int64)
    return second, fit.memberships[rows, second]


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def segment_axis(
    X: np.ndarray, s: SegmentationSettings, axis: str, method: str, run_id: str, model: str
) -> AxisResult:
    """Scale the axis, choose k, fit, canonicalise ids and subdivide.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Raw axis features, rows sorted by id.
    s : SegmentationSettings
    axis, method : str
    run_id : str
        From :func:`axis_run_id`.
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    AxisResult
    """
    if X.shape[0] < SINGLE_THREAD_BELOW:
        with threadpool_limits(limits=1):
            return _segment_axis(X, s, axis, method, run_id, model)
    return _segment_axis(X, s, axis, method, run_id, model)


def _segment_axis(
    X: np.ndarray, s: SegmentationSettings, axis: str, method: str, run_id: str, model: str
) -> AxisResult:
    Xs = transform(X, fit_scaler(X, s.scaling, s.features_of(axis)))
    grid, fit, sil = _grid(Xs, s, method, model)
    raw_labels = fit.memberships.argmax(axis=1)
    order = canonical_order(Xs, fit.memberships, raw_labels)
    new_id_of_old = np.empty_like(order)
    new_id_of_old[order] = np.arange(order.size)
    fit = dataclasses.replace(fit, memberships=fit.memberships[:, order], centers=fit.centers[order],
                              distances=fit.distances[:, order])
    labels = new_id_of_old[raw_labels].astype(np.int64)
    rows = np.arange(labels.size)
    second_ids, second_membership = _runner_up(fit, labels)
    sub = subdivide(Xs, labels, s.subdivision, weights=s.balance_weights,
                    sample_size=s.silhouette_sample_size, random_state=s.random_state)
    k = int(fit.memberships.shape[1])
    metrics = {**fit.metrics, "silhouette": sil, "converged": fit.converged, "n_iter": fit.n_iter,
               "max_share_before_subdivision": float(np.bincount(labels, minlength=k).max() / labels.size),
               "max_share_after_subdivision": sub.max_leaf_share, "n_leaf_segments": sub.n_leaves}
    return AxisResult(
        axis=axis, method=method, run_id=run_id, n_samples=int(labels.size), k_grid=grid, k=k,
        memberships=_frozen(fit.memberships), labels=_frozen(labels),
        max_membership=_frozen(fit.memberships[rows, labels]), second_ids=_frozen(second_ids),
        second_membership=_frozen(second_membership), distances=_frozen(fit.distances[rows, labels]),
        subdivision=Subdivision(_frozen(sub.paths), _frozen(sub.depths)), metrics=metrics,
    )
