"""Feature scaling with parameters kept as data.

The fitted centre and scale of every feature, and the optional clip bounds,
are returned as a :class:`ScalerParams` and can be written as a table
(:func:`scaler_params_frame`), so new rows can later be scored with the
training statistics, even in plain SQL:
``(least(greatest(x, clip_lower), clip_upper) - center) / scale``.

Clipping (``clip_quantile`` q > 0, winsorising) pulls every value of a feature
below its q-quantile up to it and every value above its (1 - q)-quantile down
to it, before the centre and scale are fitted.  A handful of extreme rows (the
ratio features of a sparse series, say) then no longer stretch the scale of a
feature nor sit far enough from everyone else to claim a cluster of their own.
Quantiles interpolate linearly between order statistics (numpy's default, SQL's
``percentile_cont``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cluster_marts.config.cluster import SCALINGS
from cluster_marts.errors import SettingsError

__all__ = ["ScalerParams", "fit_scaler", "clip", "transform", "inverse_transform", "scaler_params_frame"]


@dataclass(frozen=True, eq=False)
class ScalerParams:
    """Fitted scaling: ``X_scaled = (clip(X) - center) / scale``, column by column.

    Attributes
    ----------
    method : str
        One of ``"standard"``, ``"minmax"``, ``"robust"``, ``"none"``.
    features : tuple of str
        Feature names, in column order.
    center : ndarray of shape (n_features,)
        Mean (standard), minimum (minmax), median (robust) or 0 (none).
    scale : ndarray of shape (n_features,)
        Standard deviation with ``ddof=0`` (standard), range (minmax),
        interquartile range (robust) or 1 (none).  A zero spread is replaced
        by 1.0, so a constant column becomes 0 rather than NaN.  Both are
        fitted on the clipped values.
    clip_lower, clip_upper : ndarray of shape (n_features,) or None, default=None
        The q- and (1 - q)-quantiles every value is clipped to before
        scaling; ``None`` when clipping is off.
    """

    method: str
    features: tuple[str, ...]
    center: np.ndarray
    scale: np.ndarray
    clip_lower: np.ndarray | None = None
    clip_upper: np.ndarray | None = None


def _check_matrix(X: np.ndarray, n_features: int) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got an array with shape {X.shape}.")
    if X.shape[1] != n_features:
        raise ValueError(f"X has {X.shape[1]} columns but {n_features} features were named.")
    if X.shape[0] == 0:
        raise ValueError("X has no rows; a scaler needs at least one row.")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or inf; clean or quarantine those rows first.")
    return X


def _center_and_spread(X: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    if method == "standard":
        return X.mean(axis=0), X.std(axis=0, ddof=0)
    if method == "minmax":
        low = X.min(axis=0)
        return low, X.max(axis=0) - low
    if method == "robust":
        q25, q50, q75 = np.percentile(X, [25.0, 50.0, 75.0], axis=0)
        return q50, q75 - q25
    n_features = X.shape[1]
    return np.zeros(n_features), np.ones(n_features)


def fit_scaler(X: np.ndarray, method: str, features: Sequence[str], *, clip_quantile: float = 0.0) -> ScalerParams:
    """Fit per-feature clip bounds (optional), centre and scale.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Finite feature values.
    method : {"standard", "minmax", "robust", "none"}
        Scaling method.
    features : sequence of str
        Feature names, one per column of ``X``.
    clip_quantile : float in [0, 0.5), default=0.0
        Clip every feature to its ``[clip_quantile, 1 - clip_quantile]``
        quantiles before fitting the centre and scale; 0 does not clip.

    Returns
    -------
    ScalerParams

    Raises
    ------
    SettingsError
        Unknown ``method``.
    ValueError
        ``clip_quantile`` outside [0, 0.5).

    Examples
    --------
    >>> p = fit_scaler(np.array([[0.0, 5.0], [2.0, 5.0]]), "standard", ["a", "b"])
    >>> p.center.tolist(), p.scale.tolist()
    ([1.0, 5.0], [1.0, 1.0])
    >>> p = fit_scaler(np.array([[0.0], [1.0], [2.0], [3.0], [40.0]]), "none", ["a"], clip_quantile=0.25)
    >>> p.clip_lower.tolist(), p.clip_upper.tolist()
    ([1.0], [3.0])
    """
    if method not in SCALINGS:
        raise SettingsError(
            f"setting 'scaling'={method!r} is not allowed; use one of: {', '.join(SCALINGS)} "
            "(edit config.meta in the model's YAML)"
        )
    if not 0.0 <= clip_quantile < 0.5:
        raise ValueError(f"clip_quantile must be in [0, 0.5), got {clip_quantile!r}.")
    features = tuple(str(f) for f in features)
    X = _check_matrix(X, len(features))
    lower = upper = None
    if clip_quantile > 0:
        lower, upper = np.quantile(X, [clip_quantile, 1.0 - clip_quantile], axis=0)
        X = np.clip(X, lower, upper)
    center, spread = _center_and_spread(X, method)
    tiny = 10 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(center))
    scale = np.where(spread <= tiny, 1.0, spread)
    return ScalerParams(method=method, features=features, center=center.astype(np.float64), scale=scale,
                        clip_lower=lower, clip_upper=upper)


def clip(X: np.ndarray, params: ScalerParams) -> np.ndarray:
    """``X`` clipped to the fitted bounds; ``X`` itself (as float64) when clipping is off.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    params : ScalerParams

    Returns
    -------
    ndarray of shape (n_samples, n_features), dtype float64
    """
    X = np.asarray(X, dtype=np.float64)
    if params.clip_lower is None:
        return X
    return np.clip(X, params.clip_lower, params.clip_upper)


def transform(X: np.ndarray, params: ScalerParams) -> np.ndarray:
    """Scale ``X`` with fitted parameters: ``(clip(X) - center) / scale``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    params : ScalerParams

    Returns
    -------
    ndarray of shape (n_samples, n_features), dtype float64
    """
    return (clip(X, params) - params.center) / params.scale


def inverse_transform(Xs: np.ndarray, params: ScalerParams) -> np.ndarray:
    """Undo :func:`transform`: ``Xs * scale + center`` (values in the clipped range stay clipped).

    Parameters
    ----------
    Xs : array-like of shape (n_samples, n_features)
    params : ScalerParams

    Returns
    -------
    ndarray of shape (n_samples, n_features), dtype float64
    """
    Xs = np.asarray(Xs, dtype=np.float64)
    return Xs * params.scale + params.center


def scaler_params_frame(params: ScalerParams) -> pd.DataFrame:
    """Scaler parameters as a table, one row per feature.

    Parameters
    ----------
    params : ScalerParams

    Returns
    -------
    DataFrame
        Columns ``feature`` (str), ``method`` (str), ``center``, ``scale``,
        ``clip_lower``, ``clip_upper`` (float64; the clip bounds are NaN,
        null in the warehouse, when clipping is off).
    """
    n = len(params.features)
    off = np.full(n, np.nan)
    return pd.DataFrame(
        {
            "feature": pd.Series(params.features, dtype="str"),
            "method": pd.Series([params.method] * n, dtype="str"),
            "center": pd.Series(params.center, dtype="float64"),
            "scale": pd.Series(params.scale, dtype="float64"),
            "clip_lower": pd.Series(off if params.clip_lower is None else params.clip_lower, dtype="float64"),
            "clip_upper": pd.Series(off if params.clip_upper is None else params.clip_upper, dtype="float64"),
        }
    )
