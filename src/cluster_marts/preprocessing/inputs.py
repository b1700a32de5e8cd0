"""Input checks: the features frame against the settings.

Like :mod:`sklearn.utils.validation`, these turn bad rows into an
:class:`~cluster_marts.errors.InputDataError` naming the dbt model, the
column and the fix, before any maths runs.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from cluster_marts.config.cluster import ClusterSettings
from cluster_marts.errors import InputDataError, preview

__all__ = ["check_frame", "feature_matrix"]

_QUARANTINE = "quarantine these rows upstream or drop the feature from config.meta.features"


def check_frame(frame: pd.DataFrame, settings: ClusterSettings, model: str) -> pd.DataFrame:
    """Check the id column and the presence of feature columns.

    Parameters
    ----------
    frame : DataFrame
        One row per entity.
    settings : ClusterSettings
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    DataFrame
        ``frame`` with a fresh RangeIndex.

    Raises
    ------
    InputDataError
        Missing id or feature column (lists the available columns), null ids,
        duplicate ids (shows up to 5).
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputDataError(f"model {model}: expected a pandas DataFrame, got {type(frame).__name__}")
    available = preview(frame.columns, limit=50)
    if settings.id_column not in frame.columns:
        raise InputDataError(
            f"model {model}: id column {settings.id_column!r} (config.meta.id_column) is missing from the input; "
            f"available columns: {available}; fix id_column in config.meta or the upstream model"
        )
    missing = [f for f in settings.features if f not in frame.columns]
    if missing:
        raise InputDataError(
            f"model {model}: feature column(s) {', '.join(map(repr, missing))} (config.meta.features) missing "
            f"from the input; available columns: {available}; fix the feature list in config.meta or the upstream model"
        )
    frame = frame.reset_index(drop=True)
    ids = frame[settings.id_column]
    if ids.isna().any():
        raise InputDataError(
            f"model {model}: id column {settings.id_column!r} has {int(ids.isna().sum())} null value(s); "
            "quarantine rows without an id upstream"
        )
    dup = ids[ids.duplicated(keep=False)].unique()
    if dup.size:
        raise InputDataError(
            f"model {model}: id column {settings.id_column!r} has {dup.size} duplicated id(s), e.g. {preview(dup)}; "
            "deduplicate upstream so each entity has one row"
        )
    return frame


def _column_as_float(column: pd.Series, name: str, model: str) -> np.ndarray:
    dtype = column.dtype
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    if dtype == object:
        values = column.dropna()
        if all(isinstance(v, numbers.Number) and not isinstance(v, bool) for v in values):
            return np.array([np.nan if pd.isna(v) else float(v) for v in column], dtype=np.float64)
    raise InputDataError(
        f"model {model}: feature column {name!r} has non-numeric type {dtype}; cast it to a number in the "
        "upstream SQL, move it to config.meta.categorical_features to one-hot encode it, "
        "or drop it from config.meta.features"
    )


def feature_matrix(frame: pd.DataFrame, settings: ClusterSettings, model: str) -> np.ndarray:
    """Feature columns as a finite float64 matrix, in ``settings.features`` order.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`check_frame`.
    settings : ClusterSettings
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    ndarray of shape (n_samples, n_features)

    Raises
    ------
    InputDataError
        Non-numeric feature column, or null/NaN/inf values (shows up to 5 ids).
    """
    ids = frame[settings.id_column]
    columns = []
    for name in settings.features:
        values = _column_as_float(frame[name], name, model)
        bad = ~np.isfinite(values)
        if bad.any():
            raise InputDataError(
                f"model {model}: feature column {name!r} has {int(bad.sum())} null/NaN/inf value(s), "
                f"e.g. for {settings.id_column} {preview(ids[bad])}; {_QUARANTINE}"
            )
        columns.append(values)
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))
