"""Segment one axis with one method: k grid, choice, canonical ids, subdivision.

k is chosen by the engine's one grid and rules
(:func:`~cluster_marts.selection.grid.evaluate_k_grid`,
:func:`~cluster_marts.selection.rules.choose_k`, rule ``balanced`` or
``silhouette``).

:func:`segment_axis` is the whole computation behind the four entry points
of :mod:`cluster_marts.adapters.customers.pipeline`; its result is memoised by
:func:`fit_key` (:mod:`cluster_marts.adapters.customers.cache`).

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
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from threadpoolctl import threadpool_limits

from cluster_marts.algorithms.registry import member_means
from cluster_marts.identity.canonical import canonical_permutation
from cluster_marts.preprocessing.scaling import fit_scaler, transform
from cluster_marts.selection.grid import GridFit, evaluate_k_grid, k_values
from cluster_marts.selection.rules import choose_k
from cluster_marts.algorithms.methods import METHODS, SoftFit
from cluster_marts.config.segmentation import SegmentationSettings
from cluster_marts.selection.subdivision import Subdivision, subdivide

__all__ = ["AxisResult", "fit_key", "segment_axis", "canonical_order"]

SINGLE_THREAD_BELOW = 50_000


@dataclass(eq=False)
class AxisResult:
    """Everything the entry points publish for one (axis, method); arrays are read-only, rows sorted by id."""

    axis: str
    method: str
    run_id: str
    n_samples: int
    k_grid: pd.DataFrame  # choose_k output, one row per k; copy before changing
    k: int
    n_components: int  # dimension of the method's clustering space
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


def fit_key(s: SegmentationSettings, axis: str, method: str, ids: pd.Series, X: np.ndarray) -> tuple[str, str]:
    """Content hash of everything that determines an (axis, method) result.

    Returns
    -------
    key : str
        Full SHA-256 hex digest (the cache key).
    run_id : str
        Its first 16 hex characters.
    """
    digest = hashlib.sha256(json.dumps(_relevant_settings(s, axis, method), sort_keys=True).encode())
    digest.update(pd.util.hash_pandas_object(ids, index=False).to_numpy().tobytes())
    digest.update(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    key = digest.hexdigest()
    return key, key[:16]


def canonical_order(Xs: np.ndarray, memberships: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``order[new_id] == old_id`` by the rule of the module docstring."""
    k = memberships.shape[1]
    means = member_means(Xs, labels, k)
    empty = np.isnan(means).any(axis=1)
    if empty.any():
        w = memberships[:, empty]
        means[empty] = (w.T @ Xs) / np.maximum(w.sum(axis=0), np.finfo(np.float64).tiny)[:, None]
    return canonical_permutation(means, np.bincount(labels, minlength=k), 0)


def _choose_k(Xs: np.ndarray, s: SegmentationSettings, method: str, model: str) -> tuple[pd.DataFrame, SoftFit, int]:
    """The k grid of one method on one axis, chosen by ``s.selection_rule``; the fit at the chosen k.

    Criteria are computed on the scaled axis features with the dominant
    labels; ``inertia`` is the sum of squared distances of the rows to their
    dominant centre in the method's space.  The fits of the grid are kept
    until the choice, so the chosen one is not refitted.
    """
    space = METHODS[method].prepare(Xs, s)
    fits: dict[int, SoftFit] = {}

    def fit_at(k: int) -> GridFit:
        fits[k] = fit = METHODS[method].fit(space, k, s)
        labels = fit.memberships.argmax(axis=1)
        inertia = float((fit.distances[np.arange(labels.size), labels] ** 2).sum())
        return GridFit(labels, inertia=inertia, metrics=fit.metrics)

    grid = evaluate_k_grid(
        Xs, k_values(s.k_min, s.k_max, Xs.shape[0], model=model), fit_at,
        silhouette_sample_size=s.silhouette_sample_size, random_state=s.random_state,
        balance_weights=s.balance_weights,
    )
    chosen = choose_k(grid, s.selection_rule, model=model)
    k = int(chosen.loc[chosen["is_chosen"], "k"].item())
    return chosen, fits[k], int(space.Z.shape[1])


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
        From :func:`fit_key`.
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
    grid, fit, n_components = _choose_k(Xs, s, method, model)
    sil = float(grid.loc[grid["is_chosen"], "silhouette"].item())
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
        n_components=n_components,
        memberships=_frozen(fit.memberships), labels=_frozen(labels),
        max_membership=_frozen(fit.memberships[rows, labels]), second_ids=_frozen(second_ids),
        second_membership=_frozen(second_membership), distances=_frozen(fit.distances[rows, labels]),
        subdivision=Subdivision(_frozen(sub.paths), _frozen(sub.depths)), metrics=metrics,
    )
