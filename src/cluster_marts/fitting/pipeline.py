"""One fit: the k grid on the fit sample, the chosen fit, canonical ids, ids kept from the previous fit.

:func:`fit_partition` takes a :class:`FitInput` (rows sorted by id: the
features in original units, scaled, and the clustering space the estimator
sees; the fit sample; the current scaler) and a :class:`KGrid` (the k range,
the rule and its settings), and:

1. fits every k of the grid on the sample
   (:func:`~cluster_marts.selection.grid.evaluate_k_grid`, criteria in the
   clustering space) and chooses k
   (:func:`~cluster_marts.selection.rules.choose_k`); the grid's fits are
   kept, so the chosen one is not fitted again;
2. scores every row with the chosen estimator (its own memberships on an
   unsampled table, else ``predict_memberships``): the dominant cluster is the
   largest membership;
3. numbers the clusters by the canonical rule
   (:func:`~cluster_marts.identity.canonical.canonical_labels` on the scaled
   features; a cluster no row is dominant in is placed by its
   membership-weighted mean);
4. keeps the ids of the previous fit of the same scope
   (:func:`~cluster_marts.identity.lineage.keep_ids`: members' means in the
   current scaled space, accepted within the previous RMS radius).

Steps 3 and 4 are :func:`score_partition`, the one tail of every fit: a
method that finds its clusters itself (density methods, no k grid) fits by
its own route and ends there too (a row with no membership is noise, -1).

Fits on samples run with one native thread
(:func:`~cluster_marts.algorithms.threads.fit_threads`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cluster_marts.algorithms.base import ClusterEstimator
from cluster_marts.algorithms.scores import RowScores, member_means, row_scores
from cluster_marts.algorithms.threads import fit_threads
from cluster_marts.identity.canonical import canonical_labels
from cluster_marts.identity.lineage import ClusterMemory, IdMatch, PreviousFit, cluster_radius, keep_ids
from cluster_marts.selection.balance import DEFAULT_BALANCE_WEIGHTS
from cluster_marts.selection.grid import ClusterFit, evaluate_k_grid, k_values
from cluster_marts.selection.rules import choose_k

__all__ = ["FitInput", "KGrid", "Partition", "fit_partition", "score_partition"]


@dataclass(frozen=True, eq=False)
class FitInput:
    """The rows of one fit, sorted by id.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features)
        Features in original units (clipped where the settings clip).
    Xs : ndarray of shape (n_samples, n_features)
        ``X`` scaled: the space of canonical ids and of matching.
    Z : ndarray of shape (n_samples, n_dims)
        What the estimator sees (kept scaled features, PCA scores, ...).
    features : tuple of str
        Names of the columns of ``X``.
    sample : ndarray of int64
        Rows of ``Z`` the k grid and the fits see.
    to_scaled : callable
        The fitted scaler: original units -> the space of ``Xs``.
    order_column : int, default=0
        Column of ``Xs`` that orders canonical ids.
    """

    X: np.ndarray
    Xs: np.ndarray
    Z: np.ndarray
    features: tuple[str, ...]
    sample: np.ndarray
    to_scaled: Callable[[np.ndarray], np.ndarray]
    order_column: int = 0

    @property
    def Z_fit(self) -> np.ndarray:
        """The rows of ``Z`` the fits see."""
        return self.Z if self.sample.size == self.Z.shape[0] else self.Z[self.sample]


@dataclass(frozen=True, eq=False)
class KGrid:
    """How k is chosen: the grid ``k_min..k_max``, the rule and its settings (see :func:`choose_k`)."""

    k_min: int
    k_max: int
    rule: str
    random_state: int
    silhouette_sample_size: int
    n_clusters: int | None = None
    min_cluster_share: float = 0.0
    gap_references: int = 0
    reference_fit: Callable[[np.ndarray, int], ClusterFit] | None = None
    balance_weights: tuple[float, float] = DEFAULT_BALANCE_WEIGHTS
    stability_resamples: int = 0
    refit: Callable[[np.ndarray, int], ClusterFit] | None = None
    choose: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    """Chooses k on the grid's table instead of :func:`choose_k` with ``rule`` (same output columns)."""


@dataclass(frozen=True, eq=False)
class Partition:
    """One fit, every row scored; clusters in canonical order, published ids in ``ids``.

    Attributes
    ----------
    data : FitInput
    k_grid : DataFrame
        :func:`choose_k` output, one row per k.
    estimator : ClusterEstimator
        The chosen fit (its own cluster numbering; ``order`` maps it).
    order : ndarray of shape (k,)
        ``order[canonical_id] == estimator's cluster index``.
    memberships : ndarray of shape (n_samples, k)
        Every row, canonical columns (one-hot for hard methods).
    labels : ndarray of shape (n_samples,)
        Dominant canonical cluster of every row (-1: noise, a row with no membership).
    ids : IdMatch
        Published id of each canonical cluster and its lineage.
    """

    data: FitInput
    k_grid: pd.DataFrame
    estimator: ClusterEstimator
    order: np.ndarray
    memberships: np.ndarray
    labels: np.ndarray
    ids: IdMatch

    @property
    def k(self) -> int:
        return int(self.order.size)

    @property
    def centers(self) -> np.ndarray:
        """The estimator's centres in canonical order, in its clustering space."""
        return self.estimator.cluster_centers_[self.order]

    @property
    def published_labels(self) -> np.ndarray:
        """Every row's published cluster id."""
        return self.ids.publish(self.labels)

    def radius(self) -> np.ndarray:
        """RMS distance of each canonical cluster's members to their mean, scaled space."""
        return cluster_radius(self.data.Xs, self.labels, self.k)

    def memory(self) -> ClusterMemory:
        """Ids, members' means (original units), radius and size of each cluster: for the next build."""
        sizes = np.bincount(self.labels[self.labels >= 0], minlength=self.k)
        means = member_means(self.data.X, self.labels, self.k)  # original units: the next build scales them anew
        return ClusterMemory(self.ids, tuple(self.data.features), means, self.radius(), sizes)

    def row_scores(self) -> RowScores:
        """Distance, normalised distance, margin and runner-up of every row (canonical ids), clustering space."""
        distances = self.estimator.transform(self.data.Z)[:, self.order]
        return row_scores(distances, self.labels, self.estimator.radius_[self.order])


def fit_partition(
    data: FitInput,
    grid: KGrid,
    fit_at: Callable[[np.ndarray, int], ClusterEstimator],
    *,
    previous: PreviousFit | None = None,
    grid_fit: Callable[[ClusterEstimator], ClusterFit] | None = None,
    model: str,
) -> Partition:
    """Choose k on the sample, fit, score every row, number the clusters; see the module docstring.

    Parameters
    ----------
    data : FitInput
    grid : KGrid
    fit_at : callable
        ``fit_at(Z_fit, k)`` returns a fitted registry estimator (seeded).
    previous : PreviousFit or None, default=None
        The previous published fit of this scope, whose ids are kept.
    grid_fit : callable, optional
        What the k grid reads of a fit (default: the estimator itself).
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    Partition
    """
    Z = data.Z_fit
    fits: dict[int, ClusterEstimator] = {}

    def at(k: int) -> ClusterFit:
        fits[k] = est = fit_at(Z, k)
        return est if grid_fit is None else grid_fit(est)

    with fit_threads(Z.shape[0]):
        table = evaluate_k_grid(
            Z, k_values(grid.k_min, grid.k_max, Z.shape[0], model=model), at,
            silhouette_sample_size=grid.silhouette_sample_size, random_state=grid.random_state,
            gap_references=grid.gap_references, reference_fit=grid.reference_fit,
            balance_weights=grid.balance_weights, stability_resamples=grid.stability_resamples,
            refit=grid.refit,
        )
        chosen = grid.choose(table) if grid.choose is not None else choose_k(
            table, grid.rule, n_clusters=grid.n_clusters, min_cluster_share=grid.min_cluster_share, model=model)
        est = fits[int(chosen.loc[chosen["is_chosen"], "k"].item())]
        memberships = est.memberships_ if data.sample.size == data.Z.shape[0] else est.predict_memberships(data.Z)
    return score_partition(data, est, memberships, chosen, previous=previous)


def score_partition(
    data: FitInput,
    estimator: ClusterEstimator,
    memberships: np.ndarray,
    k_grid: pd.DataFrame,
    *,
    previous: PreviousFit | None = None,
) -> Partition:
    """Number the clusters of a fit that scored every row, and keep the previous fit's ids (steps 3 and 4).

    Parameters
    ----------
    data : FitInput
    estimator : ClusterEstimator
        The fit (its own cluster numbering, the columns of ``memberships``).
    memberships : ndarray of shape (n_samples, k)
        Every row's memberships; the dominant cluster is the largest, a row
        with none (all zeros: a density method's noise) is -1.
    k_grid : DataFrame
        How k was chosen (kept in the partition).
    previous : PreviousFit or None, default=None
        The previous published fit of this scope, whose ids are kept.

    Returns
    -------
    Partition
    """
    memberships = np.asarray(memberships, dtype=np.float64)
    k = memberships.shape[1]
    weighted = (memberships.T @ data.Xs) / np.maximum(memberships.sum(axis=0), np.finfo(np.float64).tiny)[:, None]
    own = np.where(memberships.any(axis=1), memberships.argmax(axis=1) if k else -1, -1)
    labels, order = canonical_labels(data.Xs, own, k, order_column=data.order_column, fallback=weighted)
    means = member_means(data.Xs, labels, k)
    ids = keep_ids(means, data.features, data.to_scaled, previous)
    return Partition(data, k_grid, estimator, order, memberships[:, order], labels, ids)
