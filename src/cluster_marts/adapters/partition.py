"""The tables of one provider or demand fit (:func:`cluster_marts.adapters.fitting.fit_clustering`).

Each ``*_frame`` function shapes one published table from the one fit:

* :func:`k_selection_frame`: one row per k with every criterion and the chosen k;
* :func:`assignment_frame`: the input rows plus cluster id, silhouette and
  the per-row scores of :func:`~cluster_marts.algorithms.scores.row_scores`
  (distance to the own centre, normalised distance, margin to the runner-up
  centre and its id);
* :func:`centroid_frame` and :func:`scaler_frame`: fit artifacts as tables.

The dbt build stacks them into one long table
(:func:`cluster_marts.adapters.clustering.clustering_table`); :func:`select_k`,
:func:`assign_clusters`, :func:`centroids` and :func:`scaler_params` make one
table per call, for notebooks and tests.

Rows are sorted by id before fitting, so the result does not depend on the
order in which the warehouse returns them.  Every entry point clips
(``clip_quantile``), scales and preprocesses (``min_variance``,
``pca_components``) the same way (:func:`cluster_marts.adapters.fitting.prepare`).
``run_id`` hashes the ids, the unclipped feature matrix and every setting
that changes a fit (not the k grid, the selection rule, ``gap_references``
or ``min_cluster_share``, which are visible in the k-selection table), so the k-selection and assignment tables
of one build share a ``run_id``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.adapters.fitting import DomainFit, Prepared, chosen_k, fit_clustering, prepare
from cluster_marts.algorithms.scores import RowScores, member_means
from cluster_marts.config.cluster import ClusterSettings
from cluster_marts.errors import InputDataError
from cluster_marts.preprocessing.scaling import inverse_transform, scaler_params_frame
from cluster_marts.selection.metrics import per_sample_silhouette
from cluster_marts.selection.table import K_SELECTION_COLUMNS, RunInfo, k_selection_table

__all__ = [
    "k_selection_frame", "assignment_frame", "centroid_frame", "scaler_frame",
    "select_k", "assign_clusters", "centroids", "scaler_params", "settings_json",
    "row_score_columns", "K_SELECTION_COLUMNS", "ASSIGNMENT_COLUMNS", "ROW_SCORE_COLUMNS", "CENTROID_COLUMNS",
    "SCALER_PARAMS_COLUMNS",
]

#: the per-row scores as published (typed by the marts' contracts): RowScores distance, normalized_distance,
#: margin, runner_up
ROW_SCORE_COLUMNS = ["distance_to_centroid", "normalized_distance", "margin", "second_cluster_id"]
ASSIGNMENT_COLUMNS = ["cluster_id", "silhouette", *ROW_SCORE_COLUMNS, "k", "algorithm", "run_id"]
CENTROID_COLUMNS = ["cluster_id", "feature", "center_scaled", "center_original", "is_used", "run_id"]
SCALER_PARAMS_COLUMNS = ["feature", "method", "center", "scale", "clip_lower", "clip_upper", "is_used", "run_id"]


def settings_json(settings: ClusterSettings) -> str:
    """Every :class:`~cluster_marts.config.cluster.ClusterSettings` field as JSON (``sort_keys=True``).

    Examples
    --------
    >>> settings_json(ClusterSettings(id_column="id", features=("x",)))[:40]
    '{"algorithm": "kmeans", "canonical_order'
    """
    return json.dumps(dataclasses.asdict(settings), sort_keys=True)


def _constant(value: Any, n: int, dtype: str) -> pd.Series:
    return pd.Series([value] * n, dtype=dtype)


def row_score_columns(scores: RowScores) -> dict[str, pd.Series]:
    """The published columns :data:`ROW_SCORE_COLUMNS` of per-row scores, typed.

    ``distance_to_centroid``, ``normalized_distance``, ``margin`` (float64;
    ``margin`` NaN, i.e. NULL in the warehouse, with fewer than 2 clusters) and
    ``second_cluster_id`` (Int64: the runner-up centre, ``<NA>`` with fewer
    than 2 clusters).  See :mod:`cluster_marts.algorithms.scores` for the
    definitions.

    Examples
    --------
    >>> from cluster_marts.algorithms.scores import row_scores
    >>> cols = row_score_columns(row_scores(np.array([[1.0, 4.0]]), np.array([0]), np.array([2.0, 1.0])))
    >>> [cols[c].tolist() for c in ROW_SCORE_COLUMNS]
    [[1.0], [0.5], [3.0], [1]]
    """
    runner_up = pd.Series(scores.runner_up, dtype="Int64")
    return {
        "distance_to_centroid": pd.Series(scores.distance, dtype="float64"),
        "normalized_distance": pd.Series(scores.normalized_distance, dtype="float64"),
        "margin": pd.Series(scores.margin, dtype="float64"),
        "second_cluster_id": runner_up.mask(runner_up < 0),
    }


def k_selection_frame(fit: DomainFit) -> pd.DataFrame:
    """One row per k with every criterion, the chosen k marked: columns :data:`K_SELECTION_COLUMNS`.

    ``axis`` and ``method`` null; ``balance`` / ``combined_score`` use the
    default weights 0.4 / 0.6; ``features`` lists the configured features,
    ``features_used`` those kept by ``min_variance`` (comma-joined),
    ``n_components`` the dimension clustered (PCA components, else the kept
    features), ``settings_json`` every setting (for a run registry).
    """
    prep, s = fit.prep, fit.prep.settings
    run = RunInfo(
        algorithm=s.algorithm, scaling=s.scaling, random_state=s.random_state, n_samples=prep.X.shape[0],
        features=s.features, features_used=prep.pre.kept_features, n_components=prep.pre.n_components,
        run_id=prep.run_id, settings_json=settings_json(s),
    )
    return k_selection_table(fit.partition.k_grid, run)


def _input_rows(prep_order: np.ndarray) -> np.ndarray:
    back = np.empty_like(prep_order)
    back[prep_order] = np.arange(prep_order.size)  # input row -> sorted position
    return back


def _refuse_clashes(features: pd.DataFrame, model: str) -> None:
    clash = [c for c in ASSIGNMENT_COLUMNS if c in features.columns]
    if clash:
        raise InputDataError(
            f"model {model}: input already has column(s) {', '.join(clash)} that the assignments add; "
            "rename or drop them in the upstream model"
        )


def assignment_frame(features: pd.DataFrame, fit: DomainFit, *, model: str) -> pd.DataFrame:
    """The input rows (same order) plus :data:`ASSIGNMENT_COLUMNS`, cluster ids as published.

    ``cluster_id`` (int64; the published id, see
    :mod:`cluster_marts.identity.lineage`), ``silhouette`` (float64; per-row
    silhouette, exact up to ``silhouette_sample_size`` rows, else against a
    seeded per-cluster reference sample), the per-row scores
    (:func:`row_score_columns`, in the clustering space: scaled kept features,
    or PCA scores), ``k`` (int64), ``algorithm`` (str), ``run_id`` (str).
    """
    _refuse_clashes(features, model)
    prep, part, s = fit.prep, fit.partition, fit.prep.settings
    sil = per_sample_silhouette(prep.Z, part.labels, sample_size=s.silhouette_sample_size,
                                random_state=s.random_state)
    back = _input_rows(prep.order)
    scores = part.row_scores().take(back)
    out = features.reset_index(drop=True).copy()
    n = len(out)
    out["cluster_id"] = pd.Series(part.published_labels[back], dtype="int64")
    out["silhouette"] = pd.Series(sil[back], dtype="float64")
    scores = RowScores(scores.distance, scores.normalized_distance, scores.margin, part.ids.publish(scores.runner_up))
    for name, column in row_score_columns(scores).items():
        out[name] = column
    out["k"] = _constant(fit.k, n, "int64")
    out["algorithm"] = _constant(s.algorithm, n, "str")
    out["run_id"] = _constant(prep.run_id, n, "str")
    return out


def centroid_frame(fit: DomainFit) -> pd.DataFrame:
    """Centre of every cluster, one row per cluster and configured feature: columns :data:`CENTROID_COLUMNS`.

    Without preprocessing the centres are the algorithm's (k-means centroids,
    GMM means), scaled and inverse-transformed to original units, so new rows
    can be scored in SQL.  When ``min_variance`` dropped a feature or PCA is
    on, they are the members' means of every configured feature:
    ``center_scaled`` of the scaled values, ``center_original`` of the raw
    values.  With ``clip_quantile`` on, original units are those of the
    clipped values (what the clustering saw).  ``is_used``: the feature
    entered the clustering.
    """
    prep, part = fit.prep, fit.partition
    k = part.k
    if prep.pre.is_identity:
        scaled, original = part.centers, inverse_transform(part.centers, prep.scaler)
    else:
        scaled, original = member_means(prep.Xs, part.labels, k), member_means(prep.X, part.labels, k)
    d = len(prep.settings.features)
    return pd.DataFrame(
        {
            "cluster_id": pd.Series(np.repeat(part.ids.ids, d), dtype="int64"),
            "feature": pd.Series(list(prep.settings.features) * k, dtype="str"),
            "center_scaled": pd.Series(np.asarray(scaled).ravel(), dtype="float64"),
            "center_original": pd.Series(np.asarray(original).ravel(), dtype="float64"),
            "is_used": pd.Series(np.tile(prep.pre.used, k), dtype="bool"),
            "run_id": _constant(prep.run_id, k * d, "str"),
        }
    )


def scaler_frame(prep: Prepared, *, model: str) -> pd.DataFrame:
    """Fitted scaler parameters, one row per configured feature: columns :data:`SCALER_PARAMS_COLUMNS`.

    ``feature``, ``method`` (str), ``center``, ``scale``, ``clip_lower``,
    ``clip_upper`` (float64; the clip bounds NaN when ``clip_quantile`` is 0),
    ``is_used`` (bool: kept by ``min_variance``), ``run_id`` (str).  A new row
    is scored as ``(min(max(value, clip_lower), clip_upper) - center) / scale``.
    """
    if prep.scaler is None:
        raise InputDataError(f"model {model}: the features input has no rows; add data upstream")
    out = scaler_params_frame(prep.scaler)
    out["is_used"] = pd.Series(prep.pre.used, dtype="bool")
    out["run_id"] = _constant(prep.run_id, len(out), "str")
    return out[SCALER_PARAMS_COLUMNS]


# --- one call per table: for notebooks, tests and benchmarks (dbt builds one fit: adapters.clustering) ---

def select_k(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str) -> pd.DataFrame:
    """:func:`k_selection_frame` of :func:`~cluster_marts.adapters.fitting.fit_clustering`.

    Raises
    ------
    SettingsError, InputDataError
    """
    return k_selection_frame(fit_clustering(features, meta, model=model))


def _fit_at_chosen(features: pd.DataFrame, k_selection: pd.DataFrame, meta: Mapping[str, Any] | None,
                   model: str, upstream: str | None) -> DomainFit:
    k = chosen_k(k_selection, prepare(features, meta, model), model, upstream)
    return fit_clustering(features, meta, model=model, k=k)


def assign_clusters(
    features: pd.DataFrame, k_selection: pd.DataFrame, meta: Mapping[str, Any] | None, *,
    model: str, upstream: str | None = None,
) -> pd.DataFrame:
    """Cluster every row at the ``is_chosen`` k of ``k_selection`` (same run): :func:`assignment_frame`."""
    _refuse_clashes(features, model)  # before the fit
    return assignment_frame(features, _fit_at_chosen(features, k_selection, meta, model, upstream), model=model)


def centroids(
    features: pd.DataFrame, k_selection: pd.DataFrame, meta: Mapping[str, Any] | None, *,
    model: str, upstream: str | None = None,
) -> pd.DataFrame:
    """:func:`centroid_frame` of the fit at the chosen k of ``k_selection``."""
    return centroid_frame(_fit_at_chosen(features, k_selection, meta, model, upstream))


def scaler_params(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str) -> pd.DataFrame:
    """The scaler of ``prepare`` as :func:`scaler_frame` (no fit needed)."""
    return scaler_frame(prepare(features, meta, model), model=model)
