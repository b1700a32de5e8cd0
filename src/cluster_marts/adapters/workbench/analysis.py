"""Run one workbench spec end to end: :func:`run_spec` returns every table of the analysis.

Steps: :func:`~cluster_marts.preprocessing.prepare.prepare` → choose k
(``n_clusters``, or the silhouette best over ``k_range``; density methods find
k themselves) → fit the spec's algorithm → describe the result
(:mod:`~cluster_marts.profiling.cluster_stats`) → recommend
(:mod:`~cluster_marts.selection.recommend`).  Every step is seeded with the
spec's ``random_state``, so a rerun gives identical tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cluster_marts.profiling.stats import pca_2d
from cluster_marts.selection.metrics import per_sample_silhouette
from cluster_marts.algorithms.menu import run_algorithm
from cluster_marts.preprocessing.prepare import Prepared, prepare
from cluster_marts.profiling.cluster_stats import (
    SILHOUETTE_SAMPLE, centres_table, clusters_table, importance_table, metrics_table, quality,
    representatives_table,
)
from cluster_marts.selection.recommend import compare, interpretation, silhouette_k, suggest_eps
from cluster_marts.config.spec import DEFAULT_K_RANGE, Spec
from cluster_marts.config.spec_params import DENSITY_ALGORITHMS

__all__ = ["run_spec", "TABLES"]

TABLES = ("assignments", "clusters", "centres", "metrics", "feature_importance", "representatives",
          "comparison", "suggestions")


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


def _row_silhouette(X: np.ndarray, labels: np.ndarray, seed: int) -> np.ndarray:
    """Per-row silhouette on the non-noise rows; NaN for noise (and everywhere when undefined)."""
    out = np.full(labels.size, np.nan)
    keep = labels >= 0
    if keep.sum() >= 3 and np.unique(labels[keep]).size >= 2:
        out[keep] = per_sample_silhouette(X[keep], labels[keep], sample_size=SILHOUETTE_SAMPLE,
                                          random_state=seed)
    return out


def _assignments(spec: Spec, prep: Prepared, labels: np.ndarray, confidence: np.ndarray) -> pd.DataFrame:
    coords = _coords_2d(spec, prep.X)
    return pd.DataFrame({
        "id": pd.Series(prep.ids, dtype="str"),
        "cluster_id": pd.Series(labels, dtype="int64"),
        "confidence": pd.Series(confidence, dtype="float64"),
        "is_noise": pd.Series(labels < 0, dtype="bool"),
        "is_outlier": pd.Series(prep.outlier_flags, dtype="bool"),
        "outlier_score": pd.Series(prep.outlier_scores, dtype="float64"),
        "x_2d": pd.Series(coords[:, 0], dtype="float64"),
        "y_2d": pd.Series(coords[:, 1], dtype="float64"),
        "silhouette": pd.Series(_row_silhouette(prep.X, labels, spec.random_state), dtype="float64"),
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
          silhouette (per row, non-noise rows only; NaN for noise);
        * ``clusters``: cluster_id, size, share, density, compactness, separation;
        * ``centres``: cluster_id, feature, value_scaled, value_original;
        * ``metrics``: metric, value (the spec's ``metrics``);
        * ``feature_importance``: feature, f_statistic, importance;
        * ``representatives``: cluster_id, rank, id, distance;
        * ``comparison``: algorithm, n_clusters, silhouette, noise_share,
          is_recommended, reason;
        * ``suggestions``: name, value, note (``k``, ``dbscan_eps``,
          ``dbscan_min_samples``, ``recommended_algorithm``,
          ``interpretation_<i>``; value NaN for text-only rows).

    Raises
    ------
    InputDataError
        The rows do not fit the spec (see :func:`~cluster_marts.preprocessing.prepare.prepare`).
    """
    prep = prepare(spec, frame)
    X, seed, algo = prep.X, spec.random_state, spec.algorithm
    density = algo.name in DENSITY_ALGORITHMS
    k_range = spec.k_range or DEFAULT_K_RANGE
    searched = not density and spec.n_clusters is None  # k must be chosen with the spec's own algorithm
    k_algo = algo.name if searched else "kmeans"  # else a cheap k-means scan only suggests k
    k_params = algo.params if searched else {"n_init": 3}
    best_k, best_sil = silhouette_k(X, k_algo, k_range, k_params, seed)
    k = None if density else (spec.n_clusters or best_k)
    fit = run_algorithm(algo.name, X, k, algo.params, seed)

    metrics = metrics_table(prep, fit, spec.metrics, seed)
    clusters = clusters_table(prep, fit, seed)
    importance = importance_table(prep, fit)
    min_samples = int(algo.params["min_samples"]) if algo.name == "dbscan" else 5
    eps = suggest_eps(X, min_samples)
    algorithms = tuple(dict.fromkeys((algo.name, *spec.compare)))
    comparison = compare(X, algorithms, k or best_k, eps, algo.name, algo.params, seed)

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
    return {
        "assignments": _assignments(spec, prep, np.asarray(fit.labels), fit.confidence),
        "clusters": clusters,
        "centres": centres_table(prep, fit),
        "metrics": metrics,
        "feature_importance": importance,
        "representatives": representatives_table(prep, fit),
        "comparison": comparison,
        "suggestions": _suggestions(rows),
    }
