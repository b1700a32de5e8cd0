"""Run one workbench spec end to end: :func:`run_spec` returns every table of the analysis.

Steps: :func:`~cluster_marts.preprocessing.prepare.prepare` → fit the spec's
algorithm once through the one fit pipeline
(:func:`~cluster_marts.adapters.workbench.fit.fit_spec`: ``n_clusters``, or the
silhouette best over ``k_range`` on the engine's k grid; density methods find
k themselves; canonical ids, the previous build's ids kept) → describe the result
(:mod:`~cluster_marts.profiling.cluster_stats`) → recommend
(:mod:`~cluster_marts.adapters.workbench.recommend`).  Every step is seeded with the
spec's ``random_state``, so a rerun gives identical tables.

Fit on a sample, score every row (:mod:`~cluster_marts.adapters.workbench.scale`):
the k search, the DBSCAN ``eps`` suggestion, the algorithm comparison and the
spec's fit see the fit sample (``fit_sample_size`` rows; every row of a
table that is not larger), quadratic methods a smaller sample of it; the
assignments, clusters, centres, metrics, importance and representatives
cover every row, labelled by the fitted estimator's ``predict``.  The
``suggestions`` table says what was sampled.

Cluster ids in every table are the published ones, kept from the previous
build of the spec (:mod:`cluster_marts.identity.lineage`); :func:`run_spec`
also returns what the next build matches against (``cluster_memory``) and the
lineage of the ids (``lineage``), records of :mod:`cluster_marts.adapters.memory`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.adapters.memory import lineage_records, memory_records, previous_fits
from cluster_marts.adapters.workbench.fit import SpecFit, fit_spec
from cluster_marts.adapters.workbench.menu import Clustering, run_algorithm
from cluster_marts.adapters.workbench.recommend import compare, interpretation, silhouette_best, suggest_eps
from cluster_marts.adapters.workbench.run_ids import RUN_ID_IGNORES, spec_json, spec_run_id
from cluster_marts.adapters.workbench.scale import scale_notes
from cluster_marts.algorithms.threads import fit_threads
from cluster_marts.config.spec import DEFAULT_K_RANGE, Spec
from cluster_marts.config.spec_params import DENSITY_ALGORITHMS
from cluster_marts.identity.lineage import IdMatch, PreviousFit
from cluster_marts.preprocessing.prepare import Prepared, prepare
from cluster_marts.profiling.cluster_stats import (
    SILHOUETTE_SAMPLE,
    centres_table,
    clusters_table,
    importance_table,
    metrics_table,
    quality,
    representatives_table,
)
from cluster_marts.profiling.stats import pca_2d
from cluster_marts.progress import LOGGER
from cluster_marts.selection.metrics import per_sample_silhouette
from cluster_marts.selection.stability import bootstrap_stability
from cluster_marts.selection.table import RunInfo, k_selection_table

__all__ = ["run_spec", "spec_json", "spec_run_id", "RUN_ID_IGNORES", "TABLES", "KEPT", "DOMAIN"]

TABLES = ("assignments", "clusters", "centres", "metrics", "feature_importance", "representatives",
          "comparison", "suggestions", "k_selection")
#: the records a spec's build leaves for the next one (:mod:`cluster_marts.adapters.memory`)
KEPT = ("cluster_memory", "lineage")
#: the domain of the workbench's lineage records (scope: the spec's name, method: its algorithm)
DOMAIN = "workbench"


def _run_info(spec: Spec, prep: Prepared, algorithm: str, rid: str) -> RunInfo:
    """Run metadata of the k search; ``rid`` is :func:`spec_run_id`."""
    settings = spec_json(spec)
    return RunInfo(algorithm=algorithm, scaling=spec.preprocessing.scaling, random_state=spec.random_state,
                   n_samples=int(prep.X.shape[0]), features=spec.features, features_used=prep.used,
                   n_components=int(prep.X.shape[1]), run_id=rid, settings_json=settings,
                   method=spec.algorithm.name)


def _suggestions(rows: list[tuple[str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame({
        "name": pd.Series([r[0] for r in rows], dtype="str"),
        "value": pd.Series([r[1] for r in rows], dtype="float64"),
        "note": pd.Series([r[2] for r in rows], dtype="str"),
    })


def _coords_2d(spec: Spec, X: np.ndarray) -> np.ndarray:
    """Plot coordinates: the spec's own 2-D reduction, else the engine's PCA of ``X``."""
    if spec.preprocessing.reduction.method != "none" and X.shape[1] == 2:
        return np.asarray(X, dtype=np.float64)
    return pca_2d(X, random_state=spec.random_state)[0]


def _row_silhouette(X: np.ndarray, labels: np.ndarray, seed: int, rows: np.ndarray) -> np.ndarray:
    """Per-row silhouette of the non-noise ``rows``; NaN for noise, other rows (and everywhere when undefined)."""
    out = np.full(labels.size, np.nan)
    keep = np.zeros(labels.size, dtype=bool)
    keep[rows] = labels[rows] >= 0
    if keep.sum() >= 3 and np.unique(labels[keep]).size >= 2:
        out[keep] = per_sample_silhouette(X[keep], labels[keep], sample_size=SILHOUETTE_SAMPLE,
                                          random_state=seed)
    return out


def _assignments(spec: Spec, prep: Prepared, fit: Clustering) -> pd.DataFrame:
    labels = np.asarray(fit.labels)
    coords = _coords_2d(spec, prep.X)
    scores = fit.scores
    return pd.DataFrame({
        "id": pd.Series(prep.ids, dtype="str"),
        "cluster_id": pd.Series(labels, dtype="int64"),
        "confidence": pd.Series(fit.confidence, dtype="float64"),
        "is_noise": pd.Series(labels < 0, dtype="bool"),
        "is_outlier": pd.Series(prep.outlier_flags, dtype="bool"),
        "outlier_score": pd.Series(prep.outlier_scores, dtype="float64"),
        "x_2d": pd.Series(coords[:, 0], dtype="float64"),
        "y_2d": pd.Series(coords[:, 1], dtype="float64"),
        "silhouette": pd.Series(_row_silhouette(prep.X, labels, spec.random_state, prep.sample), dtype="float64"),
        "distance_to_centre": pd.Series(scores.distance, dtype="float64"),
        "normalized_distance": pd.Series(scores.normalized_distance, dtype="float64"),
        "margin": pd.Series(scores.margin, dtype="float64"),
    })


def run_spec(spec: Spec, frame: pd.DataFrame, previous: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Cluster ``frame`` as ``spec`` says and build the analysis tables.

    Parameters
    ----------
    spec : Spec
        A validated spec (:func:`~cluster_marts.config.spec.load_spec`).
    frame : DataFrame
        The source rows (id column, features and target if any).
    previous : DataFrame or None, default=None
        The previous build's ``cluster_memory`` and ``lineage`` records
        (:func:`~cluster_marts.adapters.memory.read_previous`); the fit of
        scope ``spec.name`` and method ``spec.algorithm.name`` keeps its ids.

    Returns
    -------
    dict of str to DataFrame
        Keys :data:`TABLES`, then :data:`KEPT`; ``cluster_id`` is the
        published id (kept from ``previous``; canonical on a first build):

        * ``assignments``: id, cluster_id (-1 = noise), confidence,
          is_noise, is_outlier, outlier_score, x_2d, y_2d (the spec's 2-D
          reduction, else the engine's PCA of the prepared matrix),
          silhouette (per row, non-noise rows only; NaN for noise; on a
          sampled run only the fit sample's rows have one, as each costs a
          pass over a reference sample),
          distance_to_centre, normalized_distance (distance / the cluster's
          RMS radius), margin (distance to the nearest other centre minus
          distance_to_centre; NaN with one cluster): the estimator's row
          scores in the prepared space
          (:func:`~cluster_marts.algorithms.scores.row_scores`); a noise row
          has no cluster and is scored against its nearest centre, so its
          normalized_distance says how far out it lies;
        * ``clusters``: cluster_id, size, share, density, compactness, separation;
        * ``centres``: cluster_id, feature, value_scaled, value_original;
        * ``metrics``: metric, value (the spec's ``metrics``);
        * ``feature_importance``: feature, f_statistic, importance;
        * ``representatives``: cluster_id, rank, id, distance;
        * ``comparison``: algorithm, n_clusters, silhouette, noise_share,
          is_recommended, reason;
        * ``suggestions``: name, value, note (``k``, ``dbscan_eps``,
          ``dbscan_min_samples``, ``recommended_algorithm``,
          ``interpretation_<i>``; value NaN for text-only rows; on a
          sampled run also ``fit_sample``, ``sample_<algorithm>``,
          ``sample_tsne``, ``sample_silhouette`` with the rows each step
          saw, :func:`~cluster_marts.adapters.workbench.scale.scale_notes`);
        * ``k_selection``: the engine's k-selection table
          (:data:`~cluster_marts.selection.table.K_SELECTION_COLUMNS`) of the
          k search: ``algorithm`` is what was fitted at every k (the spec's
          algorithm, or ``kmeans`` when the spec fixes k or uses a density
          method), ``method`` the spec's algorithm, ``axis`` null;
          ``is_chosen`` marks the spec's ``n_clusters`` (rule ``fixed``) or
          the silhouette best;
        * ``cluster_memory``, ``lineage``: :func:`~cluster_marts.adapters.memory.memory_records`,
          :func:`~cluster_marts.adapters.memory.lineage_records` (domain :data:`DOMAIN`).

    Raises
    ------
    InputDataError
        The rows do not fit the spec (see :func:`~cluster_marts.preprocessing.prepare.prepare`).
    """
    prep = prepare(spec, frame)
    rid, method = spec_run_id(spec, frame), spec.algorithm.name
    with fit_threads(prep.sample.size):
        tables, spec_fit = _analyse(spec, prep, rid, previous_fits(previous).get((spec.name, method)))
    ids = spec_fit.partition.ids
    LOGGER.info("workbench spec %s: %d clusters; cluster ids %s: %s", spec.name, ids.ids.size,
                ", ".join(map(str, ids.ids.tolist())), ids.reason)
    tables["cluster_memory"] = memory_records(spec.name, method, rid, spec_fit.partition.memory())
    tables["lineage"] = lineage_records(DOMAIN, spec.name, method, rid, ids, previous)
    return tables


def _stability(X_fit: np.ndarray, labels: np.ndarray, name: str, k: int | None, params: Mapping[str, Any],
               seed: int, resamples: int) -> float:
    """The ``stability`` metric: bootstrap refits of the spec's fit on the rows it was fitted on."""
    return bootstrap_stability(labels, X_fit, lambda X_b: run_algorithm(name, X_b, k, params, seed),
                               n_resamples=resamples, random_state=seed)


def _published(table: pd.DataFrame, ids: IdMatch) -> pd.DataFrame:
    """``table`` with its canonical ``cluster_id`` as the published (kept) id."""
    return table.assign(cluster_id=pd.Series(ids.publish(table["cluster_id"].to_numpy()), dtype="int64",
                                             index=table.index))


def _analyse(spec: Spec, prep: Prepared, rid: str,
             previous: PreviousFit | None) -> tuple[dict[str, pd.DataFrame], SpecFit]:
    """The tables of :data:`TABLES` from the prepared rows (``rid``: :func:`spec_run_id`), and the spec's fit."""
    X, X_fit, seed, algo = prep.X, prep.X_fit, spec.random_state, spec.algorithm
    k_range = spec.k_range or DEFAULT_K_RANGE
    resamples = spec.stability_resamples if "stability" in spec.metrics else 0
    spec_fit = fit_spec(spec, prep, previous, model=f"spec {spec.file}", stability_resamples=resamples)
    fit, ids, k_search = spec_fit.clustering, spec_fit.partition.ids, spec_fit.k_search
    best_k, best_sil = silhouette_best(k_search, k_range[0])
    k = None if algo.name in DENSITY_ALGORITHMS else spec_fit.partition.k
    rows = spec_fit.fit_rows if spec_fit.fit_rows is not None else np.arange(X.shape[0])
    extra = {"stability": _stability(X[rows], fit.labels[rows], algo.name, k, algo.params, seed,
                                     resamples)} if resamples else None
    metrics = metrics_table(prep, fit, spec.metrics, seed, extra)
    clusters = _published(clusters_table(prep, fit, seed), ids)
    importance = importance_table(prep, fit)
    min_samples = int(algo.params["min_samples"]) if algo.name == "dbscan" else 5
    eps = suggest_eps(X_fit, min_samples)
    algorithms = tuple(dict.fromkeys((algo.name, *spec.compare)))
    comparison = compare(X_fit, algorithms, k or best_k, eps, algo.name, algo.params, seed)

    values = dict(zip(metrics["metric"], metrics["value"]))
    if "silhouette" not in values:
        values["silhouette"] = quality(X, fit.labels, seed)["silhouette"]
    notes = interpretation(values, clusters, importance, fit, int(prep.outlier_flags.sum()))
    winner = comparison.loc[comparison["is_recommended"]]
    rows = [
        ("k", float(best_k), f"silhouette best ({best_sil:.3f}) with {spec_fit.k_algorithm} over "
         f"k={k_range[0]}..{k_range[1]}"),
        ("dbscan_eps", eps, f"knee of the sorted {min_samples}-distance curve"),
        ("dbscan_min_samples", float(min_samples), "k of the k-distance curve (DBSCAN counts the point itself)"),
        ("recommended_algorithm", np.nan,
         f"{winner['algorithm'].iloc[0]}: {winner['reason'].iloc[0]}" if len(winner) else
         "none: no compared algorithm found two or more clusters"),
    ]
    rows += [(f"interpretation_{i}", np.nan, note) for i, note in enumerate(notes, start=1)]
    rows += scale_notes(spec, prep, algorithms)
    return {
        "assignments": _published(_assignments(spec, prep, fit), ids),
        "clusters": clusters,
        "centres": _published(centres_table(prep, fit), ids),
        "metrics": metrics,
        "feature_importance": importance,
        "representatives": _published(representatives_table(prep, fit), ids),
        "comparison": comparison,
        "suggestions": _suggestions(rows),
        "k_selection": k_selection_table(k_search, _run_info(spec, prep, spec_fit.k_algorithm, rid)),
    }, spec_fit
