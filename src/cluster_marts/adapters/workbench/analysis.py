"""Run one workbench spec end to end: :func:`run_spec` returns every table of the analysis.

Steps: :func:`~cluster_marts.preprocessing.prepare.prepare` → choose k
(``n_clusters``, or the silhouette best over ``k_range`` on the engine's k grid,
:func:`~cluster_marts.adapters.workbench.recommend.search_k`; density methods find
k themselves) → fit the spec's algorithm → describe the result
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
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.adapters.workbench.menu import Clustering, run_algorithm
from cluster_marts.adapters.workbench.recommend import compare, interpretation, search_k, silhouette_best, suggest_eps
from cluster_marts.adapters.workbench.scale import quadratic_rows, scale_notes
from cluster_marts.algorithms.threads import fit_threads
from cluster_marts.config.spec import DEFAULT_FIT_SAMPLE_SIZE, DEFAULT_K_RANGE, DEFAULT_STABILITY_RESAMPLES, Spec
from cluster_marts.config.spec_params import DENSITY_ALGORITHMS
from cluster_marts.identity.run_id import run_id
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
from cluster_marts.selection.metrics import per_sample_silhouette
from cluster_marts.selection.stability import bootstrap_stability
from cluster_marts.selection.table import RunInfo, k_selection_table

# Spec fields that do not change the tables: where the spec and its rows are read
# from (the rows themselves are hashed), its name (a column of its own) and its figures.
RUN_ID_IGNORES = ("name", "file", "source", "figures")
# Spec fields hashed (and written to settings_json) only when set away from their
# default, so the run ids of specs written before they existed are unchanged; the
# same for algorithm parameters added later (k-means tol).
_OPTIONAL = {"fit_sample_size": DEFAULT_FIT_SAMPLE_SIZE, "stability_resamples": DEFAULT_STABILITY_RESAMPLES}
_OPTIONAL_PARAMS = {"kmeans": {"tol": 1e-4}}

__all__ = ["run_spec", "spec_json", "spec_run_id", "RUN_ID_IGNORES", "TABLES"]

TABLES = ("assignments", "clusters", "centres", "metrics", "feature_importance", "representatives",
          "comparison", "suggestions", "k_selection")


def _plain(value: Any) -> Any:
    """Dataclasses, mappings and tuples as JSON-ready dicts and lists."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _at_default(spec: Spec, name: str) -> bool:
    return name in _OPTIONAL and getattr(spec, name) == _OPTIONAL[name]


def _hashed(spec: Spec) -> Spec:
    """``spec`` with the algorithm parameters of :data:`_OPTIONAL_PARAMS` left out where at their default."""
    late = _OPTIONAL_PARAMS.get(spec.algorithm.name, {})
    params = {k: v for k, v in spec.algorithm.params.items() if k not in late or v != late[k]}
    return dataclasses.replace(spec, algorithm=dataclasses.replace(spec.algorithm, params=MappingProxyType(params)))


def spec_json(spec: Spec) -> str:
    """Every field of the spec but its file path (and optional fields at their default), as JSON (sorted keys)."""
    fields = {k: v for k, v in _plain(_hashed(spec)).items() if k != "file" and not _at_default(spec, k)}
    return json.dumps(fields, sort_keys=True, default=str)


def spec_run_id(spec: Spec, frame: pd.DataFrame) -> str:
    """:func:`cluster_marts.identity.run_id.run_id` of one spec's analysis.

    Hashes the spec's settings (every field but :data:`RUN_ID_IGNORES`;
    ``fit_sample_size`` only when it is not the default), the
    ids sorted as text together with the target (if any), and the raw
    features in that order, so every table of a spec's analysis carries the
    same ``run_id`` and a rerun on the same rows and spec reproduces it.
    ``frame`` must already have passed :func:`run_spec`'s checks.
    """
    hashed = _hashed(spec)
    settings = {f.name: getattr(hashed, f.name) for f in dataclasses.fields(spec)
                if f.name not in RUN_ID_IGNORES and not _at_default(spec, f.name)}
    rows = frame.assign(**{spec.id_column: frame[spec.id_column].astype(str)})
    rows = rows.sort_values(spec.id_column, kind="stable").reset_index(drop=True)
    keys = rows[[spec.id_column, *([spec.target] if spec.target else [])]]
    X = rows[list(spec.features)].apply(pd.to_numeric).to_numpy(dtype=np.float64)
    return run_id(settings, keys, X)


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


def run_spec(spec: Spec, frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Cluster ``frame`` as ``spec`` says and build the analysis tables.

    Parameters
    ----------
    spec : Spec
        A validated spec (:func:`~cluster_marts.config.spec.load_spec`).
    frame : DataFrame
        The source rows (id column, features and target if any).

    Returns
    -------
    dict of str to DataFrame
        Keys :data:`TABLES`:

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
          the silhouette best.

    Raises
    ------
    InputDataError
        The rows do not fit the spec (see :func:`~cluster_marts.preprocessing.prepare.prepare`).
    """
    prep = prepare(spec, frame)
    with fit_threads(prep.sample.size):
        return _analyse(spec, prep, frame)


def _stability(X_fit: np.ndarray, labels: np.ndarray, name: str, k: int | None, params: Mapping[str, Any],
               seed: int, resamples: int) -> float:
    """The ``stability`` metric: bootstrap refits of the spec's fit on the rows it was fitted on."""
    return bootstrap_stability(labels, X_fit, lambda X_b: run_algorithm(name, X_b, k, params, seed),
                               n_resamples=resamples, random_state=seed)


def _analyse(spec: Spec, prep: Prepared, frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables of :func:`run_spec` from the prepared rows."""
    X, X_fit, seed, algo = prep.X, prep.X_fit, spec.random_state, spec.algorithm
    density = algo.name in DENSITY_ALGORITHMS
    k_range = spec.k_range or DEFAULT_K_RANGE
    searched = not density and spec.n_clusters is None  # k must be chosen with the spec's own algorithm
    k_algo = algo.name if searched else "kmeans"  # else a cheap k-means scan only suggests k
    k_params = algo.params if searched else {"n_init": 3}
    note = f"suggestion only: {algo.name} finds its clusters itself" if density else None
    resamples = spec.stability_resamples if "stability" in spec.metrics else 0
    k_search = search_k(X_fit, k_algo, k_range, k_params, seed, n_clusters=spec.n_clusters, note=note,
                        model=f"spec {spec.file}", stability_resamples=resamples)
    best_k, best_sil = silhouette_best(k_search, k_range[0])
    k = None if density else (spec.n_clusters or best_k)
    inner = quadratic_rows(X_fit, algo.name, seed)  # the rows the k search fitted a quadratic method on
    fit_rows = prep.sample if inner is None else prep.sample[inner]
    fit = run_algorithm(algo.name, X, k, algo.params, seed, fit_rows=fit_rows)

    extra = {"stability": _stability(X[fit_rows], fit.labels[fit_rows], algo.name, k, algo.params, seed,
                                     resamples)} if resamples else None
    metrics = metrics_table(prep, fit, spec.metrics, seed, extra)
    clusters = clusters_table(prep, fit, seed)
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
        ("k", float(best_k), f"silhouette best ({best_sil:.3f}) with {k_algo} over k={k_range[0]}..{k_range[1]}"),
        ("dbscan_eps", eps, f"knee of the sorted {min_samples}-distance curve"),
        ("dbscan_min_samples", float(min_samples), "k of the k-distance curve (DBSCAN counts the point itself)"),
        ("recommended_algorithm", np.nan,
         f"{winner['algorithm'].iloc[0]}: {winner['reason'].iloc[0]}" if len(winner) else
         "none: no compared algorithm found two or more clusters"),
    ]
    rows += [(f"interpretation_{i}", np.nan, note) for i, note in enumerate(notes, start=1)]
    rows += scale_notes(spec, prep, algorithms)
    return {
        "assignments": _assignments(spec, prep, fit),
        "clusters": clusters,
        "centres": centres_table(prep, fit),
        "metrics": metrics,
        "feature_importance": importance,
        "representatives": representatives_table(prep, fit),
        "comparison": comparison,
        "suggestions": _suggestions(rows),
        "k_selection": k_selection_table(k_search, _run_info(spec, prep, k_algo, spec_run_id(spec, frame))),
    }
