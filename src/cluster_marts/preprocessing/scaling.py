"""Feature scaling with parameters kept as data.

The fitted centre and scale of every feature are returned as a
:class:`ScalerParams` and can be written as a table
(:func:`scaler_params_frame`), so new rows can later be scored with the
training statistics, even in plain SQL: ``(x - center) / scale``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cluster_marts.config.cluster import SCALINGS
from cluster_marts.errors import SettingsError

__all__ = ["ScalerParams", "fit_scaler", "transform", "inverse_transform", "scaler_params_frame"]


@dataclass(frozen=True, eq=False)
class ScalerParams:
    """Fitted scaling: ``X_scaled = (X - center) / scale``, column by column.

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
        by 1.0, so a constant column becomes 0 rather than NaN.
    """

    method: str
    features: tuple[str, ...]
    center: np.ndarray
    scale: np.ndarray


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


def fit_scaler(X: np.ndarray, method: str, features: Sequence[str]) -> ScalerParams:
    """Fit per-feature centre and scale.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Finite feature values.
    method : {"standard", "minmax", "robust", "none"}
        Scaling method.
    features : sequence of str
        Feature names, one per column of ``X``.

    Returns
    -------
    ScalerParams

    Raises
    ------
    SettingsError
        Unknown ``method``.

    Examples
    --------
    >>> p = fit_scaler(np.array([[0.0, 5.0], [2.0, 5.0]]), "standard", ["a", "b"])
    >>> p.center.tolist(), p.scale.tolist()
    ([1.0, 5.0], [1.0, 1.0])
    """
    if method not in SCALINGS:
        raise SettingsError(
            f"setting 'scaling'={method!r} is not allowed; use one of: {', '.join(SCALINGS)} "
            "(edit config.meta in the model's YAML)"
        )
    features = tuple(str(f) for f in features)
    X = _check_matrix(X, len(features))
    center, spread = _center_and_spread(X, method)
    tiny = 10 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(center))
    scale = np.where(spread <= tiny, 1.0, spread)
    return ScalerParams(method=method, features=features, center=center.astype(np.float64), scale=scale)


def transform(X: np.ndarray, params: ScalerParams) -> np.ndarray:
    """Scale ``X`` with fitted parameters: ``(X - center) / scale``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    params : ScalerParams

    Returns
    -------
    ndarray of shape (n_samples, n_features), dtype float64
    """
    X = np.asarray(X, dtype=np.float64)
    return (X - params.center) / params.scale


def inverse_transform(Xs: np.ndarray, params: ScalerParams) -> np.ndarray:
    """Undo :func:`transform`: ``Xs * scale + center``.

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
        Columns ``feature`` (str), ``method`` (str), ``center`` (float64),
        ``scale`` (float64).
    """
    n = len(params.features)
    return pd.DataFrame(
        {
            "feature": pd.Series(params.features, dtype="str"),
            "method": pd.Series([params.method] * n, dtype="str"),
            "center": pd.Series(params.center, dtype="float64"),
            "scale": pd.Series(params.scale, dtype="float64"),
        }
    )
