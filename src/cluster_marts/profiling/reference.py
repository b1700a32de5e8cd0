"""Reference model of the membership snapshots: one FCM fit per axis, stored as a table.

Monthly snapshots of the customer features are all scored with one
*reference* model per axis, fitted once at a reference date, so the
memberships of every date live in the same segment space and can be compared
(drift).  :func:`reference_model` publishes that model as data; the warehouse
scores in SQL with the formula of :func:`score_memberships`.

The fit is the segmentation pipeline's own ``fcm`` fit
(:func:`cluster_marts.adapters.customers.pipeline.segment_all`, run here on the
reference features; nothing is shared with other models), whatever
``methods`` says: same scaling, k grid and choice, canonical segment ids and
``run_id``.  The centres are
:func:`~cluster_marts.algorithms.fcm.fcm_centers` of the fit's final
memberships in scaled space, which is how the fit computes them (equal up to
the final renormalisation of the memberships, ~1e-16).

Tolerance: scoring the reference rows reproduces the fit's memberships up to
one FCM iteration, not to 1e-6 in general.  The fit stops when
``max |u_new - u| < fcm.tol`` and its centres are computed from that last
``u``; scoring them is the next membership update, so the difference is the
next step's ``max |Δu|``.  FCM converges linearly near its fixed point, so for
a converged fit that step is below the last one, hence below ``fcm.tol``
(default 1e-5; observed 3e-7 .. 6e-6 on the test and demo data).  The formula
itself is exact: with ``fcm.tol: 1e-8`` the difference is ~5e-9.  A fit that
hit ``max_iter`` unconverged has no such bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.config.coerce import as_features, bad_setting, is_unset
from cluster_marts.preprocessing.scaling import fit_scaler, transform
from cluster_marts.algorithms.fcm import fcm_centers
from cluster_marts.preprocessing.axis_inputs import axis_matrix
from cluster_marts.adapters.customers.pipeline import segment_all
from cluster_marts.config.segmentation import SegmentationSettings, segmentation_settings_from_meta

__all__ = ["REFERENCE_COLUMNS", "reference_model", "score_memberships"]

REFERENCE_COLUMNS = [
    "axis", "segment_id", "feature", "center_scaled", "scaler_center", "scaler_scale", "fuzziness", "k",
    "n_samples", "run_id",
]
_DTYPES = {"axis": "str", "segment_id": "int64", "feature": "str", "center_scaled": "float64",
           "scaler_center": "float64", "scaler_scale": "float64", "fuzziness": "float64", "k": "int64",
           "n_samples": "int64", "run_id": "str"}


def _reference_axes(value: Any, s: SegmentationSettings, model: str) -> tuple[str, ...]:
    """Configured axes named by ``reference_axes`` (all when unset), in configuration order."""
    configured = [name for name, _ in s.axes]
    if is_unset(value):
        return tuple(configured)
    wanted = as_features(value, model, key="reference_axes")
    unknown = [name for name in wanted if name not in configured]
    if unknown:
        raise bad_setting(model, "reference_axes", value,
                          f"names unknown axis(es) {', '.join(unknown)}; configured axes: {', '.join(configured)};")
    return tuple(name for name in configured if name in wanted)


def reference_model(features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str) -> pd.DataFrame:
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

    Returns
    -------
    DataFrame
        One row per axis (configuration order), ``segment_id`` and feature (axis order); columns
        :data:`REFERENCE_COLUMNS`: ``axis`` (str), ``segment_id`` (int64, canonical, equal to the
        pipeline's fcm ids), ``feature`` (str), ``center_scaled`` (float64), ``scaler_center`` and
        ``scaler_scale`` (float64, the axis scaler fitted on ``features``; same for every segment),
        ``fuzziness`` (float64, ``fcm.m``), ``k`` (int64), ``n_samples`` (int64), ``run_id`` (str,
        the pipeline's fcm ``run_id`` of the axis).

    Raises
    ------
    SettingsError
        Invalid settings, or ``reference_axes`` naming an axis that is not configured.
    InputDataError
        As the segmentation pipeline (missing columns, nulls, too few rows ...).
    """
    raw = dict(meta or {})
    wanted, _ = raw.pop("reference_axes", None), raw.pop("methods", None)
    s = segmentation_settings_from_meta(raw, model=model)
    axes = _reference_axes(wanted, s, model)
    fcm_meta = {**raw, "axes": {name: list(s.features_of(name)) for name in axes}, "methods": ["fcm"]}
    s, data, results = segment_all(features, fcm_meta, model=model)
    frames = []
    for r in results:
        columns = s.features_of(r.axis)
        X = axis_matrix(data, r.axis, columns, s.id_column, model)
        scaler = fit_scaler(X, s.scaling, columns)
        centers = fcm_centers(transform(X, scaler), r.memberships, s.fcm.m)   # (k, p), canonical rows
        k, p = centers.shape
        frames.append(pd.DataFrame({
            "axis": r.axis, "segment_id": np.repeat(np.arange(k), p), "feature": np.tile(np.array(columns), k),
            "center_scaled": centers.ravel(), "scaler_center": np.tile(scaler.center, k),
            "scaler_scale": np.tile(scaler.scale, k), "fuzziness": s.fcm.m, "k": k, "n_samples": r.n_samples,
            "run_id": r.run_id,
        }))
    out = pd.concat(frames, ignore_index=True)[REFERENCE_COLUMNS]
    return pd.DataFrame({c: pd.Series(out[c].to_numpy(), dtype=_DTYPES[c]) for c in REFERENCE_COLUMNS})


def score_memberships(X: np.ndarray, centers_scaled: np.ndarray, scaler_center: np.ndarray | float,
                      scaler_scale: np.ndarray | float, m: float) -> np.ndarray:
    """FCM memberships of raw rows in a stored reference model: the reference of the SQL scoring.

    ``xs = (x - scaler_center) / scaler_scale``; ``d2_j = sum_f (xs_f - center_jf)**2``;
    ``u_j = d2_j**(-1/(m-1)) / sum_l d2_l**(-1/(m-1))``.  A row with ``d2_j == 0`` for some centre is
    one-hot on it (split evenly between centres it sits on exactly, as the SQL does; distinct centres
    make that one-hot).  The powers are taken of ``d2_j / min_l d2_l`` (the same ratio, no overflow
    when a row is very close to a centre).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Raw (unscaled) feature values, columns in the axis's feature order.
    centers_scaled : ndarray of shape (k, n_features)
        Centres in scaled space (``center_scaled`` of :func:`reference_model`, by segment id).
    scaler_center, scaler_scale : ndarray of shape (n_features,) or float
    m : float
        Fuzzifier (``fuzziness``), > 1.

    Returns
    -------
    ndarray of shape (n_samples, k)
        Rows sum to 1.

    Examples
    --------
    >>> score_memberships(np.array([[1.0], [3.0], [2.0]]), np.array([[0.0], [2.0]]), 1.0, 1.0, 2.0).round(3)
    array([[1. , 0. ],
           [0. , 1. ],
           [0.5, 0.5]])
    """
    if not m > 1.0:
        raise ValueError(f"fuzzifier m must be > 1, got {m!r}")
    centers = np.atleast_2d(np.asarray(centers_scaled, dtype=np.float64))
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != centers.shape[1]:
        raise ValueError(f"X has shape {X.shape}; expected (n_samples, {centers.shape[1]}) like the centres")
    Xs = (X - np.asarray(scaler_center, dtype=np.float64)) / np.asarray(scaler_scale, dtype=np.float64)
    d2 = ((Xs[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    hit = d2 <= 0.0
    on_centre = hit.any(axis=1)
    u = np.where(hit, 1.0, 0.0) / np.maximum(hit.sum(axis=1, keepdims=True), 1)
    rest = ~on_centre
    if rest.any():
        with np.errstate(over="ignore"):                      # an infinite ratio weighs 0, its limit
            ratio = d2[rest] / d2[rest].min(axis=1, keepdims=True)
            w = ratio ** (-1.0 / (m - 1.0))
        u[rest] = w / w.sum(axis=1, keepdims=True)
    return u
