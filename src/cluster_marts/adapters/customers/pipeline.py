"""Customer segmentation as warehouse tables: fit every (axis, method) once, publish one long table.

:func:`segment_all` validates the model's ``config.meta``
(:mod:`cluster_marts.config.segmentation`), expands the axes' column patterns
against the features frame (one row per customer), checks it and fits every
axis with every method, once, each on its fit sample with every row scored
(:mod:`~cluster_marts.adapters.customers.core`).  An axis whose features are
all constant or null, or with fewer distinct points than ``k_min``, is not
fitted: each method gets an
:class:`~cluster_marts.adapters.customers.core.AxisSkipped` with the reason
(a fit-metrics row, no k selection, no assignments); a degenerate feature of
an axis that varies is left out of its fit
(:func:`cluster_marts.preprocessing.axis_inputs.axis_input`);
on large tables (:data:`PARALLEL_FROM` rows) the (axis, method) fits run in
``n_jobs`` processes, and each finished fit is logged
(:func:`cluster_marts.progress.run_each`).  The fit becomes tables:

* :func:`assignment_table`: one row per id, axis and method, with the
  memberships as a list indexed by segment id (Arrow);
* :func:`segment_k_selection`: one row per axis, method and k;
* :func:`segment_fit_metrics`: one row per axis and method, fitted or
  skipped (:mod:`~cluster_marts.adapters.customers.fit_metrics`);
* :func:`segment_assignments` and :func:`segment_memberships`: the
  assignments as a DataFrame and the memberships in long form (one row per
  id, axis, method and segment: the Python twin of the
  ``int_customer_memberships`` view).

:func:`segmentation_table` is what the dbt Python model
``int_customer_segmentation`` returns: the assignment rows typed, then the
k-selection and fit-metrics rows packed as JSON
(:func:`cluster_marts.adapters.long_table.pack_records`, ``record_type`` = a
key of :data:`RECORD_TYPES`), which SQL views split back.  Storage at scale:
one row per customer, axis and method (21 per customer with the default 7
axes x 3 methods), memberships in a list column; the long membership form is
a view.  Nothing is kept between calls: every call fits.

Rows are sorted by axis (configuration order), method (configuration order)
and id.  ``run_id`` (:func:`~cluster_marts.adapters.customers.core.axis_run_id`)
hashes the ids, the raw axis features (every configured one, a degenerate one
included) and the settings relevant to that axis and method, so it is equal in
the four tables and on a rerun on the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cluster_marts.adapters.customers.core import (
    AxisResult,
    AxisSkipped,
    SegmentationFit,
    axis_run_id,
    segment_axis,
)
from cluster_marts.adapters.customers.fit_metrics import FIT_METRICS_COLUMNS, segment_fit_metrics
from cluster_marts.adapters.customers.inputs import FEATURES_SOURCE, axis_inputs, checked_input, store_axes
from cluster_marts.adapters.customers.lineage import segment_lineage, segment_memory
from cluster_marts.adapters.long_table import pack_records
from cluster_marts.adapters.memory import FIT_KEY, previous_fits
from cluster_marts.config.segmentation import SegmentationSettings, segmentation_settings_from_meta, settings_json
from cluster_marts.fitting.children import child_scope
from cluster_marts.identity.lineage import PreviousFit
from cluster_marts.profiling.centres import CENTRE_COLUMNS
from cluster_marts.progress import LOGGER, run_each
from cluster_marts.selection.table import K_SELECTION_COLUMNS, RunInfo, k_selection_table

__all__ = [
    "segment_k_selection", "segment_memberships", "segment_assignments", "segment_fit_metrics", "segment_memory",
    "segment_lineage", "segment_all",
    "assignment_table", "segmentation_table", "SegmentationFit", "RECORD_TYPES", "PARALLEL_FROM", "fit_jobs",
    "K_SELECTION_COLUMNS", "MEMBERSHIP_COLUMNS", "ASSIGNMENT_COLUMNS", "FIT_METRICS_COLUMNS",
]

#: rows from which the (axis, method) fits run in ``n_jobs`` processes (below, starting them costs more)
PARALLEL_FROM = 50_000

# MEMBERSHIP_COLUMNS and ASSIGNMENT_COLUMNS follow the id column (named as config.meta.id_column).
MEMBERSHIP_COLUMNS = ["axis", "method", "segment_id", "membership", "run_id"]
ASSIGNMENT_COLUMNS = [
    "axis", "method", "segment_id", "max_membership", "second_segment_id", "second_membership",
    "segment_path", "depth", "distance_to_centroid", "normalized_distance", "margin", "run_id",
]


def segment_all(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str,
                source: str = FEATURES_SOURCE,
                previous: Mapping[tuple[str, str], PreviousFit] | None = None) -> SegmentationFit:
    """Validate the settings, check the input and fit every (axis, method) once; skip the axes with nothing to fit.

    Parameters
    ----------
    features : DataFrame
        One row per customer: the id column and every axis's feature columns.
    meta : mapping or None
        The model's ``config.meta``.
    model : str
        dbt model name, used in error messages.
    source : str, default="customer_features"
        The model ``features`` comes from, for error messages.
    previous : mapping, optional
        The previous build's fits by ``(axis, method)``
        (:func:`cluster_marts.adapters.clustering.previous_fits`), whose segment ids are kept.

    Returns
    -------
    SegmentationFit
        ``(settings, data, results)``; the input of the four table functions.
    """
    s, data = checked_input(features, segmentation_settings_from_meta(meta, model=model), model=model, source=source)
    s = store_axes(s, data, model)
    results: list[AxisResult | AxisSkipped | None] = []
    calls, rows = [], {}
    for axis, axis_rows, axis_in in axis_inputs(data, s, model):
        X = None if axis_in.skip_reason else axis_in.X_used
        ids = data.ids if axis_rows is None else data.ids.iloc[axis_rows].reset_index(drop=True)
        if axis_rows is not None:
            rows[axis] = axis_rows
        s_axis = s.for_axis(axis)
        for method in s.methods:
            run_id = axis_run_id(s_axis, axis, method, ids, axis_in.X)
            if X is None:
                results.append(AxisSkipped(axis, method, run_id, len(ids), axis_in.skip_reason))
            else:
                results.append(None)
                calls.append((X, s_axis, axis, method, run_id, model, axis_in.used,
                              (previous or {}).get((axis, method)), _children_of(previous, axis, method)))
    fitted = run_each(segment_axis, calls, n_jobs=fit_jobs(s, len(data.ids)), describe=_describe)
    return SegmentationFit(s, data, [next(fitted) if r is None else r for r in results], rows)


def segment_centres(fit: SegmentationFit) -> pd.DataFrame:
    """The ``segment_centre`` records: every segment's and sub-segment's centre per feature, in population terms."""
    frames = [r.centres for r in fit.fitted]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CENTRE_COLUMNS)


def _children_of(previous: Mapping[tuple[str, str], PreviousFit] | None, axis: str, method: str
                 ) -> dict[str, PreviousFit]:
    """The previous build's splits of (axis, method) by parent path (scopes ``"<axis>:<path>"``)."""
    head = child_scope(axis, "")
    return {scope[len(head):]: fit for (scope, m), fit in (previous or {}).items()
            if m == method and scope.startswith(head)}


def fit_jobs(s: SegmentationSettings, n_rows: int) -> int:
    """Worker processes for the fits of a table of ``n_rows``: ``s.n_jobs`` from :data:`PARALLEL_FROM` rows, else 1."""
    return s.n_jobs if n_rows >= PARALLEL_FROM else 1


def _describe(args: tuple, r: AxisResult) -> str:
    grid = r.k_grid["k"]
    return (f"{r.axis}/{r.method}: k={r.k} (grid {grid.min()}..{grid.max()} on {r.metrics['n_fit_samples']:,} of "
            f"{r.n_samples:,} rows), {r.metrics['n_leaf_segments']} leaf segments")


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
    s = fit.settings
    blob = settings_json(s)
    frames = []
    for r in fit.fitted:
        run = RunInfo(algorithm=r.method, scaling=s.scaling, random_state=s.random_state, n_samples=r.n_samples,
                      features=s.features_of(r.axis), features_used=r.features, n_components=r.n_components,
                      run_id=r.run_id, settings_json=blob, axis=r.axis, method=r.method)
        frames.append(k_selection_table(r.k_grid, run))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=K_SELECTION_COLUMNS)


def _dictionary(values: np.ndarray) -> pa.DictionaryArray:
    """A dictionary-encoded string column (few distinct values over many rows), e.g. segment paths."""
    uniques, codes = np.unique(values, return_inverse=True)
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(uniques.astype(str), pa.string()))


def _floats(values: np.ndarray) -> pa.Array:
    return pa.array(values, pa.float64(), from_pandas=True)  # NaN -> null


def _assignment_schema(id_column: str, id_type: pa.DataType) -> pa.Schema:
    words = pa.dictionary(pa.int32(), pa.string())
    return pa.schema([
        (id_column, id_type), ("axis", words), ("method", words), ("segment_id", pa.int64()),
        ("max_membership", pa.float64()), ("second_segment_id", pa.int64()), ("second_membership", pa.float64()),
        ("segment_path", words), ("depth", pa.int64()), ("distance_to_centroid", pa.float64()),
        ("normalized_distance", pa.float64()), ("margin", pa.float64()), ("run_id", words),
        ("memberships", pa.list_(pa.float64())),
    ])


def assignment_table(fit: SegmentationFit) -> pa.Table:
    """Dominant segment per id, axis and method, with runner-up, subdivision path, scores and memberships.

    Columns: the id column, ``axis``, ``method`` (string), ``segment_id``
    (int64), ``max_membership`` (float64), ``second_segment_id`` (int64;
    second largest membership, for neural the second-nearest centre; null
    when k == 1), ``second_membership`` (float64, 0 for neural),
    ``segment_path`` (string, e.g. ``"0.1.2"``), ``depth`` (int64, 0 for an
    unsplit top-level segment), ``distance_to_centroid`` (float64, to the own
    top-level centre in the clustering space: scaled axis features, or the
    embedding for neural), ``normalized_distance`` (float64,
    ``distance_to_centroid`` divided by the own segment's RMS radius: about 1
    for a typical member, an anomaly score comparable across axes, methods and
    segments), ``margin`` (float64, distance to the nearest other top-level
    centre minus ``distance_to_centroid``, same space; negative when a soft
    method puts the row in a segment whose centre is not the nearest; null
    when k == 1), ``run_id`` (string), ``memberships`` (list of float64, one
    per top-level segment in canonical order: position ``i`` is the segment
    whose ``cluster_memory`` record has ``position = i``; FCM memberships, GMM
    posteriors, 1/0 for neural; sums to 1).  An axis with a population has rows
    for the ids in it only.  Segment ids are published ids:
    canonical on a first build, kept from the previous build's fit of the
    same (axis, method) (:mod:`cluster_marts.identity.lineage`); the top-level
    part of ``segment_path`` is the published id.  The scores are
    :func:`cluster_marts.algorithms.scores.row_scores`.  Repeated strings are
    dictionary-encoded (VARCHAR in the warehouse).  No rows for a skipped axis.
    """
    all_ids = pa.array(fit.data.ids, from_pandas=True)
    schema = _assignment_schema(fit.settings.id_column, all_ids.type)
    batches = []
    for r in fit.fitted:
        n, k = r.memberships.shape
        zeros = pa.array(np.zeros(n, dtype=np.int32))
        rows = fit.rows_of(r.axis)
        batches.append(pa.table({
            fit.settings.id_column: all_ids if rows is None else all_ids.take(pa.array(rows)),
            "axis": pa.DictionaryArray.from_arrays(zeros, pa.array([r.axis])),
            "method": pa.DictionaryArray.from_arrays(zeros, pa.array([r.method])),
            "segment_id": pa.array(r.published(r.labels), pa.int64()),
            "max_membership": _floats(r.max_membership),
            "second_segment_id": pa.array(r.published(r.second_ids), pa.int64(), mask=r.second_ids < 0),
            "second_membership": _floats(r.second_membership),
            "segment_path": _dictionary(r.published_paths()),
            "depth": pa.array(r.subdivision.depths, pa.int64()),
            "distance_to_centroid": _floats(r.distances),
            "normalized_distance": _floats(r.normalized_distances),
            "margin": _floats(r.margins),
            "run_id": pa.DictionaryArray.from_arrays(zeros, pa.array([r.run_id])),
            "memberships": pa.ListArray.from_arrays(pa.array(np.arange(0, n * k + 1, k, dtype=np.int32)),
                                                    _floats(r.memberships.ravel())),
        }, schema=schema))
    return pa.concat_tables(batches) if batches else schema.empty_table()


def segment_assignments(fit: SegmentationFit) -> pd.DataFrame:
    """:func:`assignment_table` without ``memberships`` as a DataFrame.

    Strings are ``str``, ``second_segment_id`` is ``Int64``, nulls of the
    float columns are NaN.
    """
    table = assignment_table(fit).drop_columns(["memberships"])
    frame = table.to_pandas()
    for column in ("axis", "method", "segment_path", "run_id"):
        frame[column] = frame[column].astype("str")
    frame["second_segment_id"] = frame["second_segment_id"].astype("Int64")
    return frame


def segment_memberships(fit: SegmentationFit) -> pd.DataFrame:
    """Long soft memberships: one row per id, axis, method and top-level segment (the SQL view's Python twin).

    Columns: the id column (input dtype), ``axis``, ``method`` (str),
    ``segment_id`` (int64, published), ``membership`` (float64), ``run_id``
    (str).  Each (id, axis, method) sums to 1.  No rows for a skipped axis.
    """
    s, data = fit.settings, fit.data
    frames = []
    for r in fit.fitted:
        n, k = r.memberships.shape
        rows = fit.rows_of(r.axis)
        frames.append(pd.DataFrame({
            s.id_column: data.ids.iloc[np.repeat(np.arange(n) if rows is None else rows, k)].reset_index(drop=True),
            "axis": _const(r.axis, n * k, "str"),
            "method": _const(r.method, n * k, "str"),
            "segment_id": pd.Series(np.tile(r.memory.ids.ids.astype(np.int64), n), dtype="int64"),
            "membership": pd.Series(r.memberships.ravel(), dtype="float64"),
            "run_id": _const(r.run_id, n * k, "str"),
        }))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[s.id_column, *MEMBERSHIP_COLUMNS])


#: the packed record types of the long table (the assignment rows come first, typed)
RECORD_TYPES: dict[str, Callable[[SegmentationFit], pd.DataFrame]] = {
    "k_selection": segment_k_selection,
    "fit_metrics": segment_fit_metrics,
    "cluster_memory": segment_memory,
    "segment_centre": segment_centres,
}


def segmentation_table(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str,
                       source: str = FEATURES_SOURCE, previous: pd.DataFrame | None = None) -> pa.Table:
    """Fit once and return the long table: what ``int_customer_segmentation`` returns.

    Parameters
    ----------
    features, meta, model, source
        As :func:`segment_all`.
    previous : DataFrame, optional
        The previous build's ``cluster_memory`` records
        (:func:`cluster_marts.adapters.clustering.read_previous`).

    Returns
    -------
    pyarrow.Table
        ``record_type`` (``assignment`` rows, then ``k_selection``,
        ``fit_metrics``, ``cluster_memory``, ``segment_centre`` and ``lineage``),
        the columns of :func:`assignment_table` (null on the packed rows) and ``record`` (the packed
        rows' JSON object, keys
        :data:`K_SELECTION_COLUMNS` / :data:`FIT_METRICS_COLUMNS` /
        :data:`~cluster_marts.adapters.memory.MEMORY_COLUMNS` /
        :data:`~cluster_marts.adapters.memory.LINEAGE_COLUMNS`), then ``fit_key``
        (``customers`` on every row: the incremental model's unique key).
        ``record_rows`` / ``packed_rows`` (:mod:`cluster_marts.adapters.long_table`)
        give each table back.
    """
    fit = segment_all(features, meta, model=model, source=source, previous=previous_fits(previous))
    for r in fit.fitted:
        LOGGER.info("%s: %s/%s segment ids %s: %s", model, r.axis, r.method,
                    ", ".join(map(str, r.memory.ids.ids.tolist())), r.memory.ids.reason)
    packed = {name: build(fit) for name, build in RECORD_TYPES.items()} | {"lineage": segment_lineage(fit, previous)}
    long = pack_records("assignment", assignment_table(fit), packed)
    return long.append_column(FIT_KEY, pa.array(["customers"] * long.num_rows, pa.string()))
