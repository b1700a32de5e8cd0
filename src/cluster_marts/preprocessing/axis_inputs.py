"""Input checks of the segmentation: id column, axis feature columns, finite numbers.

Errors are :class:`~cluster_marts.errors.InputDataError` naming the dbt model,
the axis and column, up to 5 offending ids, and the fix.  Rows are sorted by
id (stable) so results do not depend on the order the warehouse returns them.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cluster_marts.config.cluster import ClusterSettings
from cluster_marts.config.segmentation import SegmentationSettings
from cluster_marts.errors import InputDataError, preview
from cluster_marts.preprocessing.inputs import check_frame

__all__ = ["SortedInput", "sorted_input", "axis_matrix"]


@dataclass(frozen=True, eq=False)
class SortedInput:
    """The checked input, rows sorted by id."""

    frame: pd.DataFrame
    ids: pd.Series  # sorted, fresh RangeIndex, original dtype


def sorted_input(features: pd.DataFrame, settings: SegmentationSettings, model: str) -> SortedInput:
    """Check the id column and the presence of every axis's columns; sort rows by id.

    Raises
    ------
    InputDataError
        Not a DataFrame, missing id column, null or duplicate ids, missing
        feature columns (listed with their axis and the available columns),
        fewer than 3 rows.
    """
    frame = check_frame(features, ClusterSettings(id_column=settings.id_column, features=()), model)
    missing = [f"{col!r} (axis {axis})" for axis, cols in settings.axes for col in cols if col not in frame.columns]
    if missing:
        raise InputDataError(
            f"model {model}: feature column(s) {', '.join(missing)} (config.meta.axes) missing from the input; "
            f"available columns: {preview(frame.columns, limit=50)}; fix the axes in config.meta or the upstream model"
        )
    if len(frame) < 3:
        raise InputDataError(
            f"model {model}: the input has {len(frame)} row(s); segmentation needs at least 3 (k >= 2 and "
            "k <= n_samples - 1); add data upstream"
        )
    order = frame[settings.id_column].sort_values(kind="stable").index
    frame = frame.loc[order].reset_index(drop=True)
    return SortedInput(frame, frame[settings.id_column])


def _as_float(column: pd.Series, axis: str, name: str, model: str) -> np.ndarray:
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    if dtype == object:
        if all(isinstance(v, numbers.Number) and not isinstance(v, bool) for v in column.dropna()):
            return np.array([np.nan if pd.isna(v) else float(v) for v in column], dtype=np.float64)
    raise InputDataError(
        f"model {model}: feature column {name!r} (axis {axis}) has non-numeric type {dtype}; cast it to a number "
        "in the upstream SQL or remove it from the axis in config.meta.axes"
    )


def axis_matrix(data: SortedInput, axis: str, features: tuple[str, ...], id_column: str, model: str) -> np.ndarray:
    """The axis's feature columns as a finite float64 matrix, rows in sorted-id order.

    Raises
    ------
    InputDataError
        Non-numeric column, or null/NaN/inf values (names the column, the axis and up to 5 ids).
    """
    columns = []
    for name in features:
        values = _as_float(data.frame[name], axis, name, model)
        bad = ~np.isfinite(values)
        if bad.any():
            raise InputDataError(
                f"model {model}: feature column {name!r} (axis {axis}) has {int(bad.sum())} null/NaN/inf value(s), "
                f"e.g. for {id_column} {preview(data.ids[bad])}; quarantine these rows upstream or remove the "
                "column from the axis in config.meta.axes"
            )
        columns.append(values)
    return np.column_stack(columns)
