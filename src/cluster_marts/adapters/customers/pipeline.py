"""Customer segmentation as warehouse tables: fit every (axis, method) once, publish one long table.

:func:`segment_all` validates the model's ``config.meta``
(:mod:`cluster_marts.config.segmentation`), checks the features frame (one row
per customer) and fits every axis with every method, once.  Four functions
turn that fit into typed tables:

* :func:`segment_k_selection`: one row per axis, method and k;
* :func:`segment_memberships`: one row per id, axis, method and top-level segment;
* :func:`segment_assignments`: one row per id, axis and method;
* :func:`segment_fit_metrics`: one row per axis and method.

:func:`segmentation_table` is what the dbt Python model
``int_customer_segmentation`` returns: the four tables stacked into one long
table (:func:`cluster_marts.adapters.long_table.stack_records`, ``record_type``
= a key of :data:`RECORD_TYPES`), which SQL models split back.  Nothing is
kept between calls: every call fits.

Rows are sorted by axis (configuration order), method (configuration order)
and id.  ``run_id`` (:func:`~cluster_marts.adapters.customers.core.axis_run_id`)
hashes the ids, the raw axis features and the settings relevant to that axis
and method, so it is equal in the four tables and on a rerun on the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from cluster_marts.adapters.customers.core import AxisResult, axis_run_id, segment_axis
from cluster_marts.adapters.long_table import stack_records
from cluster_marts.config.segmentation import SegmentationSettings, segmentation_settings_from_meta, settings_json
from cluster_marts.preprocessing.axis_inputs import SortedInput, axis_matrix, sorted_input
from cluster_marts.selection.table import K_SELECTION_COLUMNS, RunInfo, k_selection_table

__all__ = [
    "segment_k_selection", "segment_memberships", "segment_assignments", "segment_fit_metrics", "segment_all",
    "segmentation_table", "SegmentationFit", "RECORD_TYPES",
    "K_SELECTION_COLUMNS", "MEMBERSHIP_COLUMNS", "ASSIGNMENT_COLUMNS", "FIT_METRICS_COLUMNS",
]

# MEMBERSHIP_COLUMNS and ASSIGNMENT_COLUMNS follow the id column (named as config.meta.id_column).
MEMBERSHIP_COLUMNS = ["axis", "method", "segment_id", "membership", "run_id"]
ASSIGNMENT_COLUMNS = [
    "axis", "method", "segment_id", "max_membership", "second_segment_id", "second_membership",
    "segment_path", "depth", "distance_to_centroid", "normalized_distance", "margin", "run_id",
]
_METRICS_FLOAT = [
    "silhouette", "partition_coefficient", "partition_entropy", "bic", "aic", "log_likelihood",
]
FIT_METRICS_COLUMNS = [
    "axis", "method", "k", "n_samples", "features", "run_id", *_METRICS_FLOAT, "converged", "n_iter",
    "reconstruction_error", "avg_max_probability", "high_confidence_count", "low_confidence_count", "avg_entropy",
    "max_share_before_subdivision", "max_share_after_subdivision", "n_leaf_segments", "settings_json",
    "fuzziness", "max_iter", "tolerance", "covariance_type", "encoding_dim", "epochs", "batch_size",
]


class SegmentationFit(NamedTuple):
    """Every (axis, method) fit of one call of :func:`segment_all`."""

    settings: SegmentationSettings
    data: SortedInput  # input rows sorted by id
    results: list[AxisResult]  # axis, then method, configuration order


def segment_all(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str) -> SegmentationFit:
    """Validate the settings, check the input and fit every (axis, method) once.

    Parameters
    ----------
    features : DataFrame
        One row per customer: the id column and every axis's feature columns.
    meta : mapping or None
        The model's ``config.meta``.
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    SegmentationFit
        ``(settings, data, results)``; the input of the four table functions.
    """
    s = segmentation_settings_from_meta(meta, model=model)
    data = sorted_input(features, s, model)
    results = []
    for axis, columns in s.axes:
        X = axis_matrix(data, axis, columns, s.id_column, model)
        for method in s.methods:
            results.append(segment_axis(X, s, axis, method, axis_run_id(s, axis, method, data.ids, X), model))
    return SegmentationFit(s, data, results)


def _const(value: Any, n: int, dtype: str) -> pd.Series:
    return pd.Series([value] * n, dtype=dtype)


def segment_k_selection(fit: SegmentationFit) -> pd.DataFrame:
    """The k-selection frame: one row per axis, method and k; exactly one ``is_chosen`` per axis and method.

    Columns :data:`~cluster_marts.selection.table.K_SELECTION_COLUMNS` (the
    schema of every domain).  ``algorithm`` is the method; method metrics are
    NaN where they do not apply (PC/PE: fcm; bic/aic: gmm;
    reconstruction_error: neural); the gap statistic is not computed
    (``gap_references`` 0).  ``silhouette_method`` is ``full``,
    ``sampled_<n>`` or ``undefined``.
    """
    s, _, results = fit
    blob = settings_json(s)
    frames = []
    for r in results:
        columns = s.features_of(r.axis)
        run = RunInfo(algorithm=r.method, scaling=s.scaling, random_state=s.random_state, n_samples=r.n_samples,
                      features=columns, features_used=columns, n_components=r.n_components, run_id=r.run_id,
                      settings_json=blob, axis=r.axis, method=r.method)
        frames.append(k_selection_table(r.k_grid, run))
    return pd.concat(frames, ignore_index=True)


def segment_memberships(fit: SegmentationFit) -> pd.DataFrame:
    """Long soft memberships: one row per id, axis, method and top-level segment.

    Columns: the id column (input dtype), ``axis``, ``method`` (str),
    ``segment_id`` (int64, canonical), ``membership`` (float64; FCM
    memberships, GMM posteriors, 1/0 for neural), ``run_id`` (str).  Each
    (id, axis, method) sums to 1.
    """
    s, data, results = fit
    frames = []
    for r in results:
        n, k = r.memberships.shape
        frames.append(pd.DataFrame({
            s.id_column: data.ids.iloc[np.repeat(np.arange(n), k)].reset_index(drop=True),
            "axis": _const(r.axis, n * k, "str"),
            "method": _const(r.method, n * k, "str"),
            "segment_id": pd.Series(np.tile(np.arange(k, dtype=np.int64), n), dtype="int64"),
            "membership": pd.Series(r.memberships.ravel(), dtype="float64"),
            "run_id": _const(r.run_id, n * k, "str"),
        }))
    return pd.concat(frames, ignore_index=True)


def segment_assignments(fit: SegmentationFit) -> pd.DataFrame:
    """Dominant segment per id, axis and method, with runner-up and subdivision path.

    Columns: the id column, ``axis``, ``method``, ``segment_id`` (int64),
    ``max_membership`` (float64), ``second_segment_id`` (Int64; second
    largest membership, for neural the second-nearest centre; null when
    k == 1), ``second_membership`` (float64, 0 for neural), ``segment_path``
    (str, e.g. ``"0.1.2"``), ``depth`` (int64, 0 for an unsplit top-level
    segment), ``distance_to_centroid`` (float64, to the own top-level centre
    in the clustering space: scaled axis features, or the embedding for
    neural), ``normalized_distance`` (float64, ``distance_to_centroid``
    divided by the own segment's RMS radius: about 1 for a typical member, an
    anomaly score comparable across axes, methods and segments),
    ``margin`` (float64, distance to the nearest other top-level centre
    minus ``distance_to_centroid``, same space; negative when a soft method
    puts the row in a segment whose centre is not the nearest; NaN when
    k == 1), ``run_id`` (str).  The scores are
    :func:`cluster_marts.algorithms.scores.row_scores`.
    """
    s, data, results = fit
    frames = []
    for r in results:
        n = r.n_samples
        second = pd.Series(r.second_ids, dtype="Int64")
        frames.append(pd.DataFrame({
            s.id_column: data.ids,
            "axis": _const(r.axis, n, "str"),
            "method": _const(r.method, n, "str"),
            "segment_id": pd.Series(r.labels, dtype="int64"),
            "max_membership": pd.Series(r.max_membership, dtype="float64"),
            "second_segment_id": second.mask(second < 0),
            "second_membership": pd.Series(r.second_membership, dtype="float64"),
            "segment_path": pd.Series(r.subdivision.paths, dtype="str"),
            "depth": pd.Series(r.subdivision.depths, dtype="int64"),
            "distance_to_centroid": pd.Series(r.distances, dtype="float64"),
            "normalized_distance": pd.Series(r.normalized_distances, dtype="float64"),
            "margin": pd.Series(r.margins, dtype="float64"),
            "run_id": _const(r.run_id, n, "str"),
        }))
    return pd.concat(frames, ignore_index=True)


def _params(s: SegmentationSettings, r: AxisResult) -> dict[str, Any]:
    none = {"fuzziness": np.nan, "max_iter": pd.NA, "tolerance": np.nan, "covariance_type": None,
            "encoding_dim": pd.NA, "epochs": pd.NA, "batch_size": pd.NA}
    if r.method == "fcm":
        return {**none, "fuzziness": s.fcm.m, "max_iter": s.fcm.max_iter, "tolerance": s.fcm.tol}
    if r.method == "gmm":
        return {**none, "max_iter": s.gmm.max_iter, "covariance_type": s.gmm.covariance_type}
    if r.method == "neural":
        return {**none, "encoding_dim": r.metrics["encoding_dim"], "epochs": s.neural.epochs,
                "batch_size": s.neural.batch_size}
    return none


def segment_fit_metrics(fit: SegmentationFit) -> pd.DataFrame:
    """One row per axis and method: chosen k, metrics at that k, subdivision summary, parameters.

    Columns :data:`FIT_METRICS_COLUMNS`.  GMM uncertainty columns
    (``avg_max_probability`` ... ``avg_entropy``) are filled for gmm only;
    ``encoding_dim`` is the effective bottleneck (capped at the axis's
    feature count); parameters that do not apply to a method are null.
    """
    s, _, results = fit
    blob = settings_json(s)
    rows = []
    for r in results:
        m = r.metrics
        rows.append({
            "axis": r.axis, "method": r.method, "k": r.k, "n_samples": r.n_samples,
            "features": ",".join(s.features_of(r.axis)), "run_id": r.run_id,
            **{c: m.get(c, np.nan) for c in _METRICS_FLOAT},
            "converged": bool(m["converged"]), "n_iter": int(m["n_iter"]),
            "reconstruction_error": m.get("reconstruction_error", np.nan),
            "avg_max_probability": m.get("avg_max_probability", np.nan),
            "high_confidence_count": m.get("high_confidence_count", pd.NA),
            "low_confidence_count": m.get("low_confidence_count", pd.NA),
            "avg_entropy": m.get("avg_entropy", np.nan),
            "max_share_before_subdivision": m["max_share_before_subdivision"],
            "max_share_after_subdivision": m["max_share_after_subdivision"],
            "n_leaf_segments": m["n_leaf_segments"], "settings_json": blob, **_params(s, r),
        })
    dtypes = {c: "float64" for c in FIT_METRICS_COLUMNS}
    dtypes.update({c: "str" for c in ("axis", "method", "features", "run_id", "settings_json", "covariance_type")})
    dtypes.update({c: "int64" for c in ("k", "n_samples", "n_iter", "n_leaf_segments")})
    dtypes.update({c: "Int64" for c in ("high_confidence_count", "low_confidence_count", "max_iter", "encoding_dim",
                                        "epochs", "batch_size")})
    dtypes["converged"] = "bool"
    return pd.DataFrame({c: pd.Series([row[c] for row in rows], dtype=dtypes[c]) for c in FIT_METRICS_COLUMNS})


RECORD_TYPES: dict[str, Callable[[SegmentationFit], pd.DataFrame]] = {
    "k_selection": segment_k_selection,
    "membership": segment_memberships,
    "assignment": segment_assignments,
    "fit_metrics": segment_fit_metrics,
}


def segmentation_table(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str) -> pd.DataFrame:
    """Fit once and return the four tables as one long table: what ``int_customer_segmentation`` returns.

    Parameters
    ----------
    features, meta, model
        As :func:`segment_all`.

    Returns
    -------
    DataFrame
        ``record_type`` (str: ``k_selection``, ``membership``, ``assignment``,
        ``fit_metrics``, in that order), then the union of the four tables'
        columns in nullable dtypes, null where a column is not the row's
        table's.  ``record_rows(long, record_type, columns)``
        (:mod:`cluster_marts.adapters.long_table`) gives each table back.
    """
    fit = segment_all(features, meta, model=model)
    return stack_records({name: build(fit) for name, build in RECORD_TYPES.items()})
