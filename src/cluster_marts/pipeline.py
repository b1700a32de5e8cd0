"""Entry points called by the dbt Python models (thin adapters).

Each function takes the upstream DataFrame(s), the model's ``config.meta`` and
the model name, and returns a typed DataFrame:

* :func:`select_k`: one row per k with every criterion and the chosen k;
* :func:`assign_clusters`: the input rows plus cluster id, silhouette and
  distance to the centroid;
* :func:`centroids` and :func:`scaler_params`: fit artifacts as tables.

Rows are sorted by id before fitting, so the result does not depend on the
order in which the warehouse returns them.  ``run_id`` hashes the ids, the
feature matrix and every setting that changes a fit (not the k grid or the
selection rule, which are visible in the k-selection table), so the
k-selection and assignment tables of one build share a ``run_id``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.algorithms import get_algorithm
from cluster_marts.canonical import canonical_relabel
from cluster_marts.errors import InputDataError
from cluster_marts.kselect import choose_k, evaluate_k_grid
from cluster_marts.scaling import ScalerParams, fit_scaler, inverse_transform, scaler_params_frame, transform
from cluster_marts.settings import ClusterSettings, settings_from_meta
from cluster_marts.validation import check_frame, distances_to_centers, feature_matrix, per_sample_silhouette

__all__ = ["select_k", "assign_clusters", "centroids", "scaler_params", "K_SELECTION_COLUMNS", "ASSIGNMENT_COLUMNS"]

K_SELECTION_COLUMNS = [
    "k", "inertia", "silhouette", "silhouette_method", "calinski_harabasz", "davies_bouldin",
    "is_knee", "is_chosen", "selection_rule", "algorithm", "scaling", "random_state",
    "n_samples", "features", "run_id",
]
ASSIGNMENT_COLUMNS = ["cluster_id", "silhouette", "distance_to_centroid", "k", "algorithm", "run_id"]
_RUN_ID_SETTINGS = (
    "id_column", "features", "scaling", "algorithm", "random_state", "n_init",
    "silhouette_sample_size", "canonical_order",
)


@dataclass(frozen=True, eq=False)
class _Prepared:
    """Validated input, sorted by id, with its scaled matrix."""

    settings: ClusterSettings
    order: np.ndarray  # sorted position -> input row
    X: np.ndarray  # raw features, sorted by id
    scaler: ScalerParams
    Xs: np.ndarray  # scaled features, sorted by id
    run_id: str


def _run_id(settings: ClusterSettings, ids: pd.Series, X: np.ndarray) -> str:
    config = {name: getattr(settings, name) for name in _RUN_ID_SETTINGS}
    digest = hashlib.sha1(json.dumps(config, sort_keys=True, default=list).encode())
    digest.update(pd.util.hash_pandas_object(ids, index=False).to_numpy().tobytes())
    digest.update(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    return digest.hexdigest()[:16]


def _prepare(features: pd.DataFrame, meta: Mapping[str, Any] | None, model: str) -> _Prepared:
    settings = settings_from_meta(meta, model=model)
    frame = check_frame(features, settings, model)
    ids = frame[settings.id_column].reset_index(drop=True)
    order = ids.sort_values(kind="stable").index.to_numpy()
    X = feature_matrix(frame, settings, model)[order]
    scaler = fit_scaler(X, settings.scaling, settings.features) if len(X) else None
    Xs = transform(X, scaler) if scaler is not None else X
    run_id = _run_id(settings, ids.iloc[order].reset_index(drop=True), X)
    return _Prepared(settings, order, X, scaler, Xs, run_id)


def select_k(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str) -> pd.DataFrame:
    """Score every k of the grid and mark the chosen one.

    Parameters
    ----------
    features : DataFrame
        One row per entity: the id column and the numeric feature columns.
    meta : mapping or None
        The model's ``config.meta`` (see :func:`~cluster_marts.settings.settings_from_meta`).
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    DataFrame
        Columns :data:`K_SELECTION_COLUMNS`; exactly one row has ``is_chosen``.

    Raises
    ------
    SettingsError, InputDataError
    """
    prep = _prepare(features, meta, model)
    s = prep.settings
    out = choose_k(evaluate_k_grid(prep.Xs, s, model=model), s, model=model)
    n = len(out)
    out["algorithm"] = pd.Series([s.algorithm] * n, dtype="str")
    out["scaling"] = pd.Series([s.scaling] * n, dtype="str")
    out["random_state"] = pd.Series([s.random_state] * n, dtype="int64")
    out["n_samples"] = pd.Series([prep.X.shape[0]] * n, dtype="int64")
    out["features"] = pd.Series([",".join(s.features)] * n, dtype="str")
    out["run_id"] = pd.Series([prep.run_id] * n, dtype="str")
    return out[K_SELECTION_COLUMNS]


def _chosen_k(k_selection: pd.DataFrame, prep: _Prepared, model: str, upstream: str | None) -> int:
    name = upstream or "the k-selection input"
    missing = [c for c in ("k", "is_chosen") if c not in k_selection.columns]
    if missing:
        raise InputDataError(
            f"model {model}: {name} lacks column(s) {', '.join(missing)}; "
            f"pass the output of cluster_marts.pipeline.select_k (available: {', '.join(map(str, k_selection.columns))})"
        )
    chosen = k_selection["is_chosen"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if chosen.sum() != 1:
        raise InputDataError(
            f"model {model}: {name} has {int(chosen.sum())} rows with is_chosen = true; expected exactly one; "
            f"rebuild {name} (dbt build --select <k-selection model>)"
        )
    row = k_selection.loc[chosen].iloc[0]
    if "run_id" in k_selection.columns and str(row["run_id"]) != prep.run_id:
        raise InputDataError(
            f"model {model}: {name} was computed from other data or settings (run_id {row['run_id']} != "
            f"{prep.run_id}); give both models the same config.meta (id_column, features, scaling, algorithm, "
            "random_state, n_init, silhouette_sample_size, canonical_order) and rebuild them together"
        )
    k = int(row["k"])
    if not 1 <= k <= prep.X.shape[0]:
        raise InputDataError(f"model {model}: chosen k={k} from {name} needs 1 <= k <= n_samples={prep.X.shape[0]}")
    return k


def _fit_chosen(
    features: pd.DataFrame, k_selection: pd.DataFrame, meta: Mapping[str, Any] | None, model: str, upstream: str | None
) -> tuple[_Prepared, int, np.ndarray, np.ndarray]:
    """Fit at the chosen k and relabel canonically; labels are in sorted-by-id order."""
    prep = _prepare(features, meta, model)
    k = _chosen_k(k_selection, prep, model, upstream)
    s = prep.settings
    result = get_algorithm(s.algorithm)(prep.Xs, k, s.random_state, s.n_init)
    labels, centers = canonical_relabel(result.labels, result.centers, s.features.index(s.order_feature))
    return prep, k, labels, centers


def assign_clusters(
    features: pd.DataFrame,
    k_selection: pd.DataFrame,
    meta: Mapping[str, Any] | None,
    *,
    model: str,
    upstream: str | None = None,
) -> pd.DataFrame:
    """Cluster every row at the chosen k with canonical ids.

    Parameters
    ----------
    features : DataFrame
        Same input as given to :func:`select_k`.
    k_selection : DataFrame
        Output of :func:`select_k` (exactly one ``is_chosen`` row; when it has
        ``run_id``, it must match this run's).
    meta : mapping or None
        The model's ``config.meta``.
    model : str
        dbt model name, used in error messages.
    upstream : str or None, default=None
        Name of the k-selection model, used in error messages.

    Returns
    -------
    DataFrame
        The input columns unchanged (same rows, same order), then
        ``cluster_id`` (int64), ``silhouette`` (float64; per-row silhouette,
        exact up to ``silhouette_sample_size`` rows, else against a seeded
        per-cluster reference sample), ``distance_to_centroid`` (float64,
        scaled space), ``k`` (int64), ``algorithm`` (str), ``run_id`` (str).
    """
    clash = [c for c in ASSIGNMENT_COLUMNS if c in features.columns]
    if clash:
        raise InputDataError(
            f"model {model}: input already has column(s) {', '.join(clash)} that the assignments add; "
            "rename or drop them in the upstream model"
        )
    prep, k, labels, centers = _fit_chosen(features, k_selection, meta, model, upstream)
    s = prep.settings
    sil = per_sample_silhouette(prep.Xs, labels, sample_size=s.silhouette_sample_size, random_state=s.random_state)
    dist = distances_to_centers(prep.Xs, labels, centers)
    back = np.empty_like(prep.order)
    back[prep.order] = np.arange(prep.order.size)  # input row -> sorted position
    out = features.reset_index(drop=True).copy()
    n = len(out)
    out["cluster_id"] = pd.Series(labels[back], dtype="int64")
    out["silhouette"] = pd.Series(sil[back], dtype="float64")
    out["distance_to_centroid"] = pd.Series(dist[back], dtype="float64")
    out["k"] = pd.Series([k] * n, dtype="int64")
    out["algorithm"] = pd.Series([s.algorithm] * n, dtype="str")
    out["run_id"] = pd.Series([prep.run_id] * n, dtype="str")
    return out


def centroids(
    features: pd.DataFrame,
    k_selection: pd.DataFrame,
    meta: Mapping[str, Any] | None,
    *,
    model: str,
    upstream: str | None = None,
) -> pd.DataFrame:
    """Centre of every cluster, one row per cluster and feature.

    Same fit as :func:`assign_clusters` (same ids).

    Returns
    -------
    DataFrame
        ``cluster_id`` (int64), ``feature`` (str), ``center_scaled``,
        ``center_original`` (float64), ``run_id`` (str).
    """
    prep, k, _, centers = _fit_chosen(features, k_selection, meta, model, upstream)
    original = inverse_transform(centers, prep.scaler)
    d = len(prep.settings.features)
    return pd.DataFrame(
        {
            "cluster_id": pd.Series(np.repeat(np.arange(k), d), dtype="int64"),
            "feature": pd.Series(list(prep.settings.features) * k, dtype="str"),
            "center_scaled": pd.Series(centers.ravel(), dtype="float64"),
            "center_original": pd.Series(original.ravel(), dtype="float64"),
            "run_id": pd.Series([prep.run_id] * (k * d), dtype="str"),
        }
    )


def scaler_params(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str) -> pd.DataFrame:
    """Fitted scaler parameters, one row per feature, to score new rows later.

    Returns
    -------
    DataFrame
        ``feature``, ``method`` (str), ``center``, ``scale`` (float64), ``run_id`` (str).
    """
    prep = _prepare(features, meta, model)
    if prep.scaler is None:
        raise InputDataError(f"model {model}: the features input has no rows; add data upstream")
    out = scaler_params_frame(prep.scaler)
    out["run_id"] = pd.Series([prep.run_id] * len(out), dtype="str")
    return out
