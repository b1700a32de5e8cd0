"""Reference model of the membership snapshots: one FCM fit per axis, stored as a table.

Monthly snapshots of the customer features are all scored with one
*reference* model per axis, fitted once at a reference date, so the
memberships of every date live in the same segment space and can be compared
(drift).  :func:`reference_model` publishes that model as data; the warehouse
scores in SQL with the formula of
:func:`cluster_marts.profiling.reference.score_memberships`.

The fit is the segmentation's own ``fcm`` fit of an axis
(:func:`cluster_marts.adapters.customers.core.fit_axis`, run here on the
reference features; nothing is shared with other models), whatever
``methods`` says: same scaling, fit sample, k grid and choice, canonical
order and ``run_id``.  Segment ids hold across builds as everywhere
(:func:`~cluster_marts.identity.lineage.keep_ids`): the dbt model is
incremental and passes its previous ``cluster_memory`` records, so a
reference refitted on other data (a new reference date, late orders) keeps
the id of every segment that kept its customers; ``position`` is where a
segment sits in the snapshots' membership lists (its canonical index), and
the snapshots store the ids of those positions beside the memberships.
:func:`reference_table` is what the model returns: the reference rows, then
the memory and lineage records (domain ``customer_reference``, scope the
axis), as one long table.  It is fitted once and published as it is: the
centres are the estimator's ``cluster_centers_`` (the centres its
memberships are computed from), nothing is refitted or recomputed, and the
per-row work of the segmentation (row scores, subdivision) is not done.
The axes' column patterns are expanded, degenerate features left out and
axes skipped exactly as in the segmentation
(:mod:`~cluster_marts.adapters.customers.inputs`), judged on the reference
features: a skipped axis has no rows, so its snapshots are not scored.
Scoring tolerance: see :mod:`cluster_marts.profiling.reference`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cluster_marts.adapters.customers.core import axis_run_id, axis_threads, fit_axis
from cluster_marts.adapters.customers.inputs import axis_inputs, checked_input
from cluster_marts.adapters.customers.pipeline import fit_jobs
from cluster_marts.adapters.long_table import pack_records
from cluster_marts.adapters.memory import (
    FIT_KEY,
    LINEAGE_COLUMNS,
    MEMORY_COLUMNS,
    lineage_records,
    memory_records,
    previous_fits,
)
from cluster_marts.config.coerce import as_features, bad_setting, is_unset
from cluster_marts.config.segmentation import SegmentationSettings, segmentation_settings_from_meta
from cluster_marts.identity.lineage import PreviousFit
from cluster_marts.preprocessing.axis_inputs import AxisInput
from cluster_marts.profiling.centres import CENTRE_COLUMNS, centre_records
from cluster_marts.progress import LOGGER, run_each

__all__ = ["REFERENCE_COLUMNS", "REFERENCE_SOURCE", "EMPTY_REFERENCE", "REFERENCE_DOMAIN", "reference_model",
           "reference_table"]

#: the domain of the reference model's lineage rows (scope: the axis; method: fcm)
REFERENCE_DOMAIN = "customer_reference"

#: the model the reference model reads, and why it can be empty (the error message of an empty input)
REFERENCE_SOURCE = "int_customer_reference_features"
EMPTY_REFERENCE = (
    "no valid order on or before the reference date (var customer_reference_date): every order was quarantined, "
    "the orders source is empty or the reference date is before the first order; see stg_customer_orders_quarantine"
)

REFERENCE_COLUMNS = [
    "axis", "segment_id", "position", "feature", "center_scaled", "scaler_center", "scaler_scale", "fuzziness", "k",
    "n_samples", "run_id",
]
_DTYPES = {"axis": "str", "segment_id": "int64", "position": "int64", "feature": "str", "center_scaled": "float64",
           "scaler_center": "float64", "scaler_scale": "float64", "fuzziness": "float64", "k": "int64",
           "n_samples": "int64", "run_id": "str"}


def _reference_axes(value: Any, s: SegmentationSettings, model: str) -> tuple[str, ...]:
    """Configured axes named by ``reference_axes`` (all when unset), in configuration order; no population axis.

    The snapshots score every customer at every date, so an axis fitted on a sub-population
    (``population``) has no reference: it is left out, and naming it is an error.
    """
    configured = [name for name, _ in s.axes if s.population_of(name) is None]
    left_out = [name for name, _ in s.axes if s.population_of(name) is not None]
    if left_out:
        LOGGER.info("%s: axes %s segment a sub-population (population); the snapshots and drift follow the "
                    "whole-population axes only", model, ", ".join(left_out))
    if is_unset(value):
        return tuple(configured)
    wanted = as_features(value, model, key="reference_axes")
    unknown = [name for name in wanted if name not in configured]
    if unknown:
        raise bad_setting(model, "reference_axes", value,
                          f"names axis(es) {', '.join(unknown)} that are unknown or segment a sub-population "
                          f"(population); reference axes: {', '.join(configured)};")
    return tuple(name for name in configured if name in wanted)


def _reference_axis(axis_in: AxisInput, s: SegmentationSettings, axis: str, ids: pd.Series, model: str,
                    previous: PreviousFit | None, records: pd.DataFrame | None
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One axis: its reference rows (centres in canonical order, scaler), memory, lineage and centre records."""
    X, columns = axis_in.X_used, axis_in.used
    with axis_threads(X, s):
        fit = fit_axis(X, s, axis, "fcm", model, columns, previous)
    centers = fit.centers
    k, p = centers.shape
    run_id = axis_run_id(s, axis, "fcm", ids, axis_in.X)
    frame = pd.DataFrame({
        "axis": axis, "segment_id": np.repeat(fit.memory.ids.ids, p), "position": np.repeat(np.arange(k), p),
        "feature": np.tile(np.array(columns), k),
        "center_scaled": centers.ravel(), "scaler_center": np.tile(fit.scaler.center, k),
        "scaler_scale": np.tile(fit.scaler.scale, k), "fuzziness": s.fcm.m, "k": k, "n_samples": X.shape[0],
        "run_id": run_id,
    })
    frame.attrs["n_fit_samples"] = int(fit.sample.size)
    memory = memory_records(axis, "fcm", run_id, fit.memory)
    lineage = lineage_records(REFERENCE_DOMAIN, axis, "fcm", run_id, fit.memory.ids, records)
    paths = fit.memory.ids.publish(fit.labels).astype(str)
    return frame, memory, lineage, centre_records(axis, "fcm", run_id, X, paths, fit.memory)


def _fit_axes(features: pd.DataFrame, meta: Mapping[str, Any] | None, model: str, previous: pd.DataFrame | None
              ) -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """Every reference axis fitted (configuration order): its rows, memory, lineage and centre records."""
    raw = dict(meta or {})
    wanted, _ = raw.pop("reference_axes", None), raw.pop("methods", None)
    s = segmentation_settings_from_meta(raw, model=model)
    axes = _reference_axes(wanted, s, model)
    s = dataclasses.replace(s, axes=tuple((name, s.features_of(name)) for name in axes), methods=("fcm",),
                            axis_options=tuple((name, option) for name, option in s.axis_options if name in axes))
    s, data = checked_input(features, s, model=model, source=REFERENCE_SOURCE, when_empty=EMPTY_REFERENCE)
    before = previous_fits(previous)
    calls = [(axis_in, s.for_axis(axis), axis, data.ids, model, before.get((axis, "fcm")), previous)
             for axis, _, axis_in in axis_inputs(data, s, model) if not axis_in.skip_reason]
    return list(run_each(
        _reference_axis, calls, n_jobs=fit_jobs(s, len(data.ids)),
        describe=lambda args, f: f"reference {args[2]}/fcm: k={f[0]['k'].iat[0]} on {f[0].attrs['n_fit_samples']:,} "
                                 f"of {len(data.ids):,} rows"))


def _stacked(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _typed(frames: list[pd.DataFrame]) -> pd.DataFrame:
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=REFERENCE_COLUMNS)
    return pd.DataFrame({c: pd.Series(out[c].to_numpy(), dtype=_DTYPES[c]) for c in REFERENCE_COLUMNS})


def reference_model(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str,
                    previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """FCM reference model of every axis: centres in scaled space and the axis scaler, as rows.

    Parameters
    ----------
    features : DataFrame
        One row per customer as of the reference date: the id column and the axes' feature columns.
    meta : mapping or None
        The segmentation ``config.meta`` (:mod:`cluster_marts.config.segmentation`); ``methods`` is
        ignored (always ``fcm``).  Optional ``reference_axes`` (list or comma-separated string)
        restricts the axes; default all.
    model : str
        dbt model name, used in every error message.
    previous : DataFrame, optional
        The previous build's records (:func:`~cluster_marts.adapters.memory.read_previous`), whose
        segment ids are kept.

    Returns
    -------
    DataFrame
        One row per axis (configuration order; none for a skipped axis), ``segment_id`` and used
        feature (axis order); columns
        :data:`REFERENCE_COLUMNS`: ``axis`` (str), ``segment_id`` (int64, published: kept from
        ``previous``, else canonical and equal to the pipeline's fcm ids), ``position`` (int64, the
        segment's canonical index: its place in the snapshots' membership lists), ``feature`` (str),
        ``center_scaled`` (float64), ``scaler_center`` and
        ``scaler_scale`` (float64, the axis scaler fitted on ``features``; same for every segment),
        ``fuzziness`` (float64, ``fcm.m``), ``k`` (int64), ``n_samples`` (int64), ``run_id`` (str,
        the pipeline's fcm ``run_id`` of the axis).

    Raises
    ------
    SettingsError
        Invalid settings, ``reference_axes`` naming an axis that is not configured, an axis pattern
        matching no column.
    InputDataError
        As the segmentation pipeline (missing columns, nulls, no rows, too few rows ...).
    """
    return _typed([fitted[0] for fitted in _fit_axes(features, meta, model, previous)])


def reference_table(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str,
                    previous: pd.DataFrame | None = None) -> pa.Table:
    """What ``int_customer_reference_model`` returns: :func:`reference_model`'s rows and the fit's records.

    ``record_type`` (``reference`` rows typed, then the packed ``cluster_memory``, ``lineage``
    (:mod:`cluster_marts.adapters.memory`) and ``segment_centre`` records
    (:func:`~cluster_marts.profiling.centres.centre_records`, what the segment names read)), the
    reference columns, ``record`` and ``fit_key`` (``customer_reference`` on every row: the incremental
    model's unique key).
    """
    fits = _fit_axes(features, meta, model, previous)
    for rows, *_ in fits:
        ids = rows.drop_duplicates("position")["segment_id"]
        LOGGER.info("%s: %s segment ids %s", model, rows["axis"].iat[0], ", ".join(map(str, ids.tolist())))
    packed = {name: _stacked([f[i] for f in fits], columns)
              for i, (name, columns) in enumerate([("cluster_memory", MEMORY_COLUMNS), ("lineage", LINEAGE_COLUMNS),
                                                   ("segment_centre", CENTRE_COLUMNS)], start=1)}
    rows = pa.Table.from_pandas(_typed([f[0] for f in fits]), preserve_index=False)
    long = pack_records("reference", rows, packed)
    return long.append_column(FIT_KEY, pa.array([REFERENCE_DOMAIN] * long.num_rows, pa.string()))
