"""A spec's own fit: the one fit pipeline of every domain, cluster ids kept from the previous build.

:func:`fit_spec` fits the spec's algorithm once:

* a method that takes k goes through
  :func:`~cluster_marts.fitting.pipeline.fit_partition`: the k grid on the fit
  sample over ``k_range`` (default :data:`~cluster_marts.config.spec.DEFAULT_K_RANGE`),
  chosen by :func:`~cluster_marts.adapters.workbench.recommend.choose_spec_k`
  (silhouette, ties to the smallest k), or a grid of one k when the spec fixes
  ``n_clusters``; the chosen fit kept, every row scored (its own memberships
  on an unsampled table, else ``predict_memberships``);
* a density method (no k) is fitted by its own route: on the fit sample, its
  own labels there, ``predict`` elsewhere (noise -1), then the same tail
  (:func:`~cluster_marts.fitting.pipeline.score_partition`);
* a quadratic method (:data:`~cluster_marts.adapters.workbench.scale.QUADRATIC_ALGORITHMS`)
  fits on :func:`~cluster_marts.adapters.workbench.scale.quadratic_rows` of the fit
  sample; the grid and the pipeline see it as fitted on the fit sample
  (:class:`SampledFit`: its own labels on those rows, ``predict`` on the others).

Either way the clusters are numbered by the canonical rule on the scaled spec
features (the first feature the variance filter kept leads) and matched to
the previous build's clusters of the spec
(:func:`~cluster_marts.identity.lineage.keep_ids`: members' means in original
units through the current scaler).  When the spec fixes k or uses a density
method, a cheap k-means scan over ``k_range``
(:func:`~cluster_marts.adapters.workbench.recommend.search_k`) only suggests k
and is the published k selection; otherwise the fit's own grid is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.adapters.workbench.menu import Clustering, describe, fit_menu, own_labels
from cluster_marts.adapters.workbench.recommend import choose_spec_k, search_k
from cluster_marts.adapters.workbench.scale import quadratic_rows
from cluster_marts.algorithms.base import ClusterEstimator
from cluster_marts.algorithms.scores import one_hot, within_ss
from cluster_marts.config.spec import DEFAULT_K_RANGE, Spec
from cluster_marts.config.spec_params import DENSITY_ALGORITHMS
from cluster_marts.fitting.pipeline import FitInput, KGrid, Partition, fit_partition, score_partition
from cluster_marts.identity.lineage import PreviousFit
from cluster_marts.preprocessing.prepare import Prepared
from cluster_marts.preprocessing.scaling import transform
from cluster_marts.profiling.cluster_stats import SILHOUETTE_SAMPLE

__all__ = ["SampledFit", "SpecFit", "fit_input", "fit_spec"]


class SampledFit:
    """An estimator fitted on some rows of ``X_fit`` (``rows``), seen as fitted on every row of ``X_fit``.

    ``labels_`` / ``memberships_`` cover ``X_fit``: the estimator's own on
    ``rows``, its ``predict`` on the others; ``inertia_`` is their
    within-cluster sum of squares.  Everything else (centres, radius,
    ``transform``, ``predict``, ``predict_memberships``, metrics) is the
    estimator's.
    """

    def __init__(self, estimator: ClusterEstimator, X_fit: np.ndarray, rows: np.ndarray):
        self.estimator = estimator
        self.labels_ = own_labels(estimator, X_fit, rows)
        self.memberships_ = one_hot(self.labels_, estimator.n_clusters_)
        self.inertia_ = within_ss(X_fit, self.labels_)

    def __getattr__(self, name: str) -> Any:
        if name == "estimator":  # not set yet (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.estimator, name)


@dataclass(frozen=True, eq=False)
class SpecFit:
    """The spec's fit and its k selection.

    Attributes
    ----------
    partition : Partition
        Canonical clusters, every row scored, published ids (``partition.ids``).
    clustering : Clustering
        The same fit in canonical ids, as the analysis tables read it.
    k_search : DataFrame
        The published k selection (:func:`~cluster_marts.selection.rules.choose_k` output).
    k_algorithm : str
        What the k search fitted at every k.
    fit_rows : ndarray of int or None
        Rows of the prepared matrix the estimator was fitted on (None: every row).
    """

    partition: Partition
    clustering: Clustering
    k_search: pd.DataFrame
    k_algorithm: str
    fit_rows: np.ndarray | None


def fit_input(spec: Spec, prep: Prepared) -> FitInput:
    """The rows of a spec's fit: spec features in original units and scaled, the prepared matrix, the sample."""
    scaler = prep.scaler
    return FitInput(prep.raw, prep.scaled, prep.X, tuple(spec.features), prep.sample,
                    to_scaled=lambda a: transform(a, scaler), order_column=spec.features.index(prep.used[0]))


def _fit_at(name: str, params: Any, seed: int):
    """``fit_at(Z, k)`` of the spec's algorithm (a quadratic method on a sample of ``Z``, :class:`SampledFit`)."""
    def fit_at(Z: np.ndarray, k: int) -> ClusterEstimator | SampledFit:
        rows = quadratic_rows(Z, name, seed)
        if rows is None:
            return fit_menu(name, Z, k, params, seed)
        return SampledFit(fit_menu(name, Z[rows], k, params, seed), Z, rows)
    return fit_at


def fit_spec(spec: Spec, prep: Prepared, previous: PreviousFit | None = None, *, model: str,
             stability_resamples: int = 0) -> SpecFit:
    """Fit the spec's algorithm once and keep the previous build's ids; see the module docstring.

    Parameters
    ----------
    spec : Spec
    prep : Prepared
    previous : PreviousFit or None, default=None
        The previous build's fit of this spec (scope the spec's name, method its algorithm).
    model : str
        Name for error messages.
    stability_resamples : int, default=0
        Bootstrap refits of the k grid's ``stability`` column (0: null).

    Returns
    -------
    SpecFit
    """
    algo, seed = spec.algorithm, spec.random_state
    lo, hi = spec.k_range or DEFAULT_K_RANGE
    data = fit_input(spec, prep)
    fit_at = _fit_at(algo.name, algo.params, seed)
    searched = algo.name not in DENSITY_ALGORITHMS and spec.n_clusters is None
    inner = quadratic_rows(prep.X_fit, algo.name, seed)
    fit_rows = prep.sample if inner is None else prep.sample[inner]
    fit_rows = None if fit_rows.size == prep.X.shape[0] else fit_rows
    k_search, k_algo = None, algo.name
    if not searched:  # a cheap k-means scan only suggests k
        k_algo = "kmeans"
        note = f"suggestion only: {algo.name} finds its clusters itself" if algo.name in DENSITY_ALGORITHMS else None
        k_search = search_k(prep.X_fit, k_algo, (lo, hi), {"n_init": 3}, seed, n_clusters=spec.n_clusters,
                            note=note, model=model, stability_resamples=stability_resamples)
    if algo.name in DENSITY_ALGORITHMS:
        est = fit_menu(algo.name, prep.X if fit_rows is None else prep.X[fit_rows], None, algo.params, seed)
        memberships = one_hot(own_labels(est, prep.X, fit_rows), est.n_clusters_)
        partition = score_partition(data, est, memberships, k_search, previous=previous)
    else:
        n = spec.n_clusters
        grid = KGrid(lo, hi, "silhouette", seed, SILHOUETTE_SAMPLE, stability_resamples=stability_resamples,
                     refit=fit_at, choose=lambda table: choose_spec_k(table, model=model)) if searched else \
            KGrid(n, n, "fixed", seed, SILHOUETTE_SAMPLE, n_clusters=n)
        partition = fit_partition(data, grid, fit_at, previous=previous, model=model)
        est = partition.estimator
        if searched:
            k_search = partition.k_grid
    base = est.estimator if isinstance(est, SampledFit) else est
    clustering = describe(algo.name, prep.X, base, partition.labels, partition.order, fit_rows)
    return SpecFit(partition, clustering, k_search, k_algo, fit_rows)
