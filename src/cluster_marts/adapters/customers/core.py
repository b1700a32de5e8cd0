"""Segment one axis with one method: fit on a sample, score every row, canonical ids, subdivision.

:func:`fit_axis` is the fit, through the one fit pipeline
(:func:`cluster_marts.fitting.pipeline.fit_partition`): the axis scaler on every row, the seeded
stratified fit sample (:func:`cluster_marts.preprocessing.sampling.fit_sample`,
``fit_sample_size`` rows; every row when the table is not larger), the k grid
and the choice on that sample
(:func:`~cluster_marts.selection.grid.evaluate_k_grid`,
:func:`~cluster_marts.selection.rules.choose_k`, rule ``balanced`` or
``silhouette``), then every row scored with the chosen estimator's
``predict_memberships`` (on an unsampled table: the fit's own memberships).
:func:`segment_axis` adds the per-row scores and the subdivision (whose splits
are fitted on samples of each segment as well); :func:`axis_run_id` names it.
Both take the axis's *used* features: the degenerate ones (constant or null
for every row) are left out by the caller
(:func:`cluster_marts.preprocessing.axis_inputs.axis_input`), and an axis
with nothing left to segment is an :class:`AxisSkipped` instead.

Each (axis, method, k) is a registry estimator (:mod:`cluster_marts.algorithms.methods`).
Canonical segment ids follow the one rule of :mod:`cluster_marts.identity.canonical`
on the axis's scaled features (first feature leading), members by dominant
segment over every row; a segment no row is dominant in is placed by its
membership-weighted mean.  Per-row scores (distance, normalised distance,
margin, runner-up) come from :func:`cluster_marts.algorithms.scores.row_scores`.
Sample-based quantities: the k grid (silhouette on ``silhouette_sample_size``
rows of the sample), the chosen fit's ``inertia_``, ``radius_`` and method
metrics (PC/PE, BIC/AIC, reconstruction error); counts, shares and the GMM
uncertainty summaries are over every row.

Fits on samples run with native thread pools limited to one thread
(:func:`cluster_marts.algorithms.threads.fit_threads`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from cluster_marts.algorithms.base import ClusterEstimator
from cluster_marts.algorithms.methods import METHOD_NAMES, axis_params, fit_method, method_metrics
from cluster_marts.algorithms.scores import RowScores, row_scores
from cluster_marts.algorithms.threads import fit_threads
from cluster_marts.config.segmentation import SegmentationSettings
from cluster_marts.fitting.children import ChildIds
from cluster_marts.fitting.pipeline import FitInput, KGrid, fit_partition
from cluster_marts.identity.lineage import ClusterMemory, PreviousFit
from cluster_marts.identity.run_id import run_id as content_run_id
from cluster_marts.preprocessing.axis_inputs import SortedInput
from cluster_marts.preprocessing.sampling import fit_sample
from cluster_marts.preprocessing.scaling import ScalerParams, fit_scaler, transform
from cluster_marts.profiling.centres import centre_records
from cluster_marts.selection.grid import GridFit
from cluster_marts.selection.subdivision import Subdivision, subdivide

__all__ = [
    "AxisFit", "AxisResult", "AxisSkipped", "axis_run_id", "axis_threads", "fit_axis", "segment_axis",
]

@dataclass(eq=False)
class AxisResult:
    """Everything the entry points publish for one (axis, method); arrays are read-only, rows sorted by id."""

    axis: str
    method: str
    run_id: str
    n_samples: int
    features: tuple[str, ...]  # the features fitted (the axis's features less the degenerate ones)
    k_grid: pd.DataFrame  # choose_k output, one row per k; copy before changing
    k: int
    n_components: int  # dimension of the method's clustering space
    memberships: np.ndarray  # (n, k), canonical columns
    centers: np.ndarray  # (k, n_dims), canonical rows, clustering space (scaled axis features; embedding for neural)
    labels: np.ndarray  # (n,), dominant canonical segment
    max_membership: np.ndarray
    second_ids: np.ndarray  # (n,), -1 when undefined
    second_membership: np.ndarray
    distances: np.ndarray  # (n,), to own centre, clustering space
    normalized_distances: np.ndarray  # (n,), distance / own segment's RMS radius
    margins: np.ndarray  # (n,), distance to the nearest other centre minus distance; NaN when k == 1
    subdivision: Subdivision
    metrics: dict[str, Any]
    memory: ClusterMemory  # published segment ids (memory.ids.ids[canonical id]) and what the next build matches
    children: Mapping[str, ClusterMemory]  # every split's children (ids kept like the segments'), by parent path
    centres: pd.DataFrame  # every segment's and sub-segment's centre and its population percentile (centre_records)

    def published(self, canonical: np.ndarray) -> np.ndarray:
        """Canonical segment ids (``-1``: none) as published ids."""
        return self.memory.ids.publish(canonical)

    def published_paths(self) -> np.ndarray:
        """Subdivision paths of published ids (``"<segment id>.<child id>..."``), kept from the previous build."""
        return np.asarray(self.subdivision.paths).astype(str)


@dataclass(frozen=True)
class AxisSkipped:
    """An (axis, method) not segmented: every feature degenerate or too few distinct points; ``reason`` says which."""

    axis: str
    method: str
    run_id: str
    n_samples: int
    reason: str


class SegmentationFit(NamedTuple):
    """Every (axis, method) fit of one call of :func:`~cluster_marts.adapters.customers.pipeline.segment_all`."""

    settings: SegmentationSettings  # axis patterns expanded
    data: SortedInput  # input rows sorted by id
    results: list[AxisResult | AxisSkipped]  # axis, then method, configuration order
    rows: Mapping[str, np.ndarray] = {}  # a population axis's rows (positions in data); other axes: every row

    def rows_of(self, axis: str) -> np.ndarray | None:
        """Positions in :attr:`data` of the rows ``axis`` was fitted on; None for every row."""
        return self.rows.get(axis)

    @property
    def fitted(self) -> list[AxisResult]:
        """The (axis, method) pairs that were segmented, in configuration order."""
        return [r for r in self.results if isinstance(r, AxisResult)]


def _relevant_settings(s: SegmentationSettings, axis: str, method: str) -> dict[str, Any]:
    config = {name: value for name, value in s.as_dict().items()
              if name not in ("axes", "axis_options", "methods", "n_jobs", *METHOD_NAMES)}
    config.update(axis=axis, features=list(s.features_of(axis)), method=method)
    if s.population_of(axis) is not None:
        config["population"] = s.population_of(axis)
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


@dataclass(eq=False)
class AxisFit:
    """One (axis, method) fitted on the fit sample, every row scored; columns and rows in canonical order."""

    scaler: ScalerParams  # fitted on every row
    scaled: np.ndarray  # (n, p) every row, scaled axis features
    sample: np.ndarray  # row indices the fit saw (sorted)
    k_grid: pd.DataFrame
    estimator: ClusterEstimator
    n_components: int
    order: np.ndarray  # order[canonical id] == estimator's cluster index
    memberships: np.ndarray  # (n, k) every row, canonical columns
    labels: np.ndarray  # (n,) dominant canonical segment
    memory: ClusterMemory  # published ids (kept from the previous fit), members' means, radius, sizes

    @property
    def centers(self) -> np.ndarray:
        """Cluster centres in canonical order, clustering space."""
        return self.estimator.cluster_centers_[self.order]


def fit_axis(X: np.ndarray, s: SegmentationSettings, axis: str, method: str, model: str,
             features: tuple[str, ...] | None = None, previous: PreviousFit | None = None) -> AxisFit:
    """Scale the axis, draw the fit sample, choose k on it and score every row; see the module docstring.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Raw axis features, rows sorted by id.
    s : SegmentationSettings
    axis, method : str
    model : str
        dbt model name, used in error messages.
    features : tuple of str, optional
        Names of the columns of ``X`` (the axis's used features); default all of ``s.features_of(axis)``.

    Returns
    -------
    AxisFit
    """
    features = s.features_of(axis) if features is None else tuple(features)
    scaler = fit_scaler(X, s.scaling, features)
    Xs = transform(X, scaler)
    sample = fit_sample(Xs, s.fit_sample_size, s.random_state)
    params = axis_params(method, Xs[sample], s)
    part = fit_partition(
        FitInput(X, Xs, Xs, features, sample, to_scaled=lambda a: transform(a, scaler)),
        KGrid(s.k_min, s.k_max, s.selection_rule, s.random_state, s.silhouette_sample_size,
              balance_weights=s.balance_weights),
        lambda Z, k: fit_method(method, Z, k, params, s),
        grid_fit=lambda est: GridFit(est.labels_, inertia=est.inertia_, metrics=method_metrics(est, s)),
        previous=previous, model=model,
    )
    est = part.estimator
    return AxisFit(scaler, Xs, sample, part.k_grid, est, int(est.cluster_centers_.shape[1]), part.order,
                   part.memberships, part.labels, part.memory())

def _runner_up(memberships: np.ndarray, labels: np.ndarray, scores: RowScores, hard: bool
               ) -> tuple[np.ndarray, np.ndarray]:
    """Second segment and its membership: second largest membership, or for hard methods the nearest other centre."""
    n, k = memberships.shape
    if k < 2:
        return np.full(n, -1, dtype=np.int64), np.zeros(n)
    if hard:
        return scores.runner_up, np.zeros(n)
    u = memberships.copy()
    u[np.arange(n), labels] = -np.inf
    second = u.argmax(axis=1).astype(np.int64)
    return second, memberships[np.arange(n), second]


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def segment_axis(
    X: np.ndarray, s: SegmentationSettings, axis: str, method: str, run_id: str, model: str,
    features: tuple[str, ...] | None = None, previous: PreviousFit | None = None,
    previous_children: Mapping[str, PreviousFit] | None = None,
) -> AxisResult:
    """:func:`fit_axis`, then per-row scores and the subdivision of every row.

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
    features : tuple of str, optional
        Names of the columns of ``X`` (the axis's used features); default all of ``s.features_of(axis)``.
    previous : PreviousFit, optional
        The previous build's fit of this (axis, method), whose segment ids are kept.
    previous_children : mapping of str to PreviousFit, optional
        The previous build's splits of this (axis, method) by parent path, whose sub-segment ids are kept
        (:class:`~cluster_marts.fitting.children.ChildIds`).

    Returns
    -------
    AxisResult
    """
    features = s.features_of(axis) if features is None else tuple(features)
    with axis_threads(X, s):
        return _segment_axis(X, s, axis, method, run_id, model, features, previous, previous_children or {})


def axis_threads(X: np.ndarray, s: SegmentationSettings) -> AbstractContextManager:
    """The thread-pool limit of an axis's fits, which see ``min(n_rows, fit_sample_size)`` rows."""
    return fit_threads(min(X.shape[0], s.fit_sample_size))


def _segment_axis(
    X: np.ndarray, s: SegmentationSettings, axis: str, method: str, run_id: str, model: str,
    features: tuple[str, ...], previous: PreviousFit | None, previous_children: Mapping[str, PreviousFit],
) -> AxisResult:
    fit = fit_axis(X, s, axis, method, model, features, previous)
    est, grid, labels, memberships = fit.estimator, fit.k_grid, fit.labels, fit.memberships
    chosen = grid.loc[grid["is_chosen"]].iloc[0]
    sil = float(chosen["silhouette"])
    scores = row_scores(est.transform(fit.scaled)[:, fit.order], labels, est.radius_[fit.order])
    rows = np.arange(labels.size)
    second_ids, second_membership = _runner_up(memberships, labels, scores, hard=not est.soft)
    children = ChildIds(X, fit.scaled, features, lambda a: transform(a, fit.scaler), previous_children)
    sub = subdivide(fit.scaled, labels, s.subdivision, weights=s.balance_weights,
                    sample_size=s.silhouette_sample_size, random_state=s.random_state,
                    fit_sample_size=s.fit_sample_size, top_ids=fit.memory.ids.ids, child_ids=children)
    k = int(est.n_clusters_)
    metrics = {**method_metrics(est, s, memberships), "silhouette": sil,
               **{name: float(chosen[name]) for name in ("calinski_harabasz", "davies_bouldin")},
               "converged": est.converged_, "n_iter": est.n_iter_, "n_fit_samples": int(fit.sample.size),
               "max_share_before_subdivision": float(np.bincount(labels, minlength=k).max() / labels.size),
               "max_share_after_subdivision": sub.max_leaf_share, "n_leaf_segments": sub.n_leaves}
    return AxisResult(
        axis=axis, method=method, run_id=run_id, n_samples=int(labels.size), features=features, k_grid=grid, k=k,
        n_components=fit.n_components,
        memberships=_frozen(memberships), centers=_frozen(fit.centers), labels=_frozen(labels),
        max_membership=_frozen(memberships[rows, labels]), second_ids=_frozen(second_ids),
        second_membership=_frozen(second_membership), distances=_frozen(scores.distance),
        normalized_distances=_frozen(scores.normalized_distance), margins=_frozen(scores.margin),
        subdivision=Subdivision(_frozen(sub.paths), _frozen(sub.depths)), metrics=metrics, memory=fit.memory,
        children=dict(children.memories_),
        centres=centre_records(axis, method, run_id, X, sub.paths, fit.memory, children.memories_),
    )
