"""Input checks of the segmentation: id column, row count, axis feature columns, finite numbers, degenerate axes.

Errors are :class:`~cluster_marts.errors.InputDataError` naming the dbt model,
the axis and column, up to 5 offending ids, and the fix.  Rows are sorted by
id (stable) so results do not depend on the order the warehouse returns them.

A feature is *degenerate* when it carries no information over the rows: the
same value for every row (range within the scaler's tolerance) or null for
every row.  :func:`axis_input` drops degenerate features from an axis's fit
and says why an axis is not segmented at all: every feature degenerate, or
fewer distinct points (distinct rows of the fitted features) than ``k_min``.
A feature null for some rows only is an error, as before.
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

__all__ = ["SortedInput", "sorted_input", "AxisInput", "axis_input", "distinct_rows"]


@dataclass(frozen=True, eq=False)
class SortedInput:
    """The checked input, rows sorted by id."""

    frame: pd.DataFrame
    ids: pd.Series  # sorted, fresh RangeIndex, original dtype


def sorted_input(features: pd.DataFrame, settings: SegmentationSettings, model: str, *,
                 source: str = "the input", when_empty: str = "add data upstream") -> SortedInput:
    """Check the id column, the presence of every axis's columns and the row count; sort rows by id.

    Parameters
    ----------
    features : DataFrame
    settings : SegmentationSettings
        With concrete axis columns (:func:`~cluster_marts.config.segmentation.expand_axes`).
    model : str
        dbt model name, used in error messages.
    source : str, default="the input"
        What ``features`` is (the dbt model read), for the messages.
    when_empty : str, default="add data upstream"
        Why ``features`` may be empty and where to look, for the message of an empty input.

    Raises
    ------
    InputDataError
        Not a DataFrame, missing id column, null or duplicate ids, missing
        feature columns (listed with their axis and the available columns), no
        rows, fewer rows than ``k_min + 1`` (the k grid needs ``k <= n - 1``).
    """
    frame = check_frame(features, ClusterSettings(id_column=settings.id_column, features=()), model)
    missing = [f"{col!r} (axis {axis})" for axis, cols in settings.axes for col in cols if col not in frame.columns]
    if missing:
        raise InputDataError(
            f"model {model}: feature column(s) {', '.join(missing)} (config.meta.axes) missing from the input; "
            f"available columns: {preview(frame.columns, limit=50)}; fix the axes in config.meta or the upstream model"
        )
    if frame.empty:
        raise InputDataError(f"model {model}: {source} has no rows: {when_empty}")
    if len(frame) < settings.k_min + 1:
        raise InputDataError(
            f"model {model}: {source} has {len(frame)} row(s); segmenting into k_min = {settings.k_min} or more "
            f"segments needs at least k_min + 1 = {settings.k_min + 1} rows (k <= n_samples - 1); add data upstream "
            "or lower k_min in config.meta"
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


def _axis_column(data: SortedInput, axis: str, name: str, id_column: str, model: str) -> np.ndarray:
    """One feature column as float64: finite, or null for every row (a degenerate feature); else an error."""
    values = _as_float(data.frame[name], axis, name, model)
    bad = ~np.isfinite(values)
    if bad.any() and not np.isnan(values).all():
        raise InputDataError(
            f"model {model}: feature column {name!r} (axis {axis}) has {int(bad.sum())} null/NaN/inf value(s), "
            f"e.g. for {id_column} {preview(data.ids[bad])}; quarantine these rows upstream or remove the "
            "column from the axis in config.meta.axes"
        )
    return values


def _degenerate(values: np.ndarray) -> str | None:
    """``"<value>"`` when every value is the same (within the scaler's tolerance), ``"null"`` when all are null."""
    if np.isnan(values).all():
        return "null"
    low, high = values.min(), values.max()
    if high - low <= 10 * np.finfo(np.float64).eps * max(1.0, abs(float(low))):
        return f"{low:g}"
    return None


def distinct_rows(X: np.ndarray, limit: int) -> int:
    """Number of distinct rows of ``X``, counted up to ``limit`` (``O(n * limit)``, no sort).

    Examples
    --------
    >>> distinct_rows(np.array([[0.0, 1.0], [0.0, 1.0], [2.0, 1.0]]), limit=5)
    2
    >>> distinct_rows(np.arange(10.0)[:, None], limit=3)
    3
    """
    count, rest = 0, np.asarray(X)
    while rest.shape[0] and count < limit:
        count += 1
        rest = rest[(rest != rest[0]).any(axis=1)]
    return count


@dataclass(frozen=True, eq=False)
class AxisInput:
    """One axis's features as the fit sees them; build with :func:`axis_input`.

    Attributes
    ----------
    features : tuple of str
        The axis's feature columns (configured, patterns expanded).
    X : ndarray of shape (n_samples, n_features)
        Their raw values, rows in sorted-id order (a feature null for every row is NaN): what run ids hash.
    used : tuple of str
        The features fitted: those not degenerate, in axis order.
    skip_reason : str or None
        Why the axis is not segmented, in words; None when it is.
    """

    features: tuple[str, ...]
    X: np.ndarray
    used: tuple[str, ...]
    skip_reason: str | None

    @property
    def X_used(self) -> np.ndarray:
        """The columns of :attr:`used` (finite)."""
        return self.X[:, [self.features.index(name) for name in self.used]]


def axis_input(data: SortedInput, axis: str, features: tuple[str, ...], id_column: str, k_min: int, model: str,
               *, entities: str = "rows") -> AxisInput:
    """The axis's feature columns as float64, its degenerate features set aside, and whether it can be segmented.

    Parameters
    ----------
    data : SortedInput
    axis : str
    features : tuple of str
        The axis's columns (patterns expanded).
    id_column : str
    k_min : int
        The smallest k of the grid: an axis with fewer distinct points is not segmented.
    model : str
        dbt model name, used in error messages.
    entities : str, default="rows"
        What a row is ("customers"), for the skip reason.

    Returns
    -------
    AxisInput
        ``skip_reason`` names the axis and the cause, e.g. ``"axis returns: every feature is constant
        (return_rate = 0 for all 2,000 customers); not segmented"``.

    Raises
    ------
    InputDataError
        Non-numeric column, or null/NaN/inf values in some rows of a column (names the column, the axis and
        up to 5 ids).
    """
    X = np.column_stack([_axis_column(data, axis, name, id_column, model) for name in features])
    states = {name: _degenerate(X[:, j]) for j, name in enumerate(features)}
    used = tuple(name for name in features if states[name] is None)
    n, reason = X.shape[0], None
    if not used:
        kinds = {"null" if state == "null" else "constant" for state in states.values()}
        what = " or ".join(sorted(kinds))
        values = ", ".join(f"{name} null" if state == "null" else f"{name} = {state}" for name, state in states.items())
        reason = f"axis {axis}: every feature is {what} ({values} for all {n:,} {entities}); not segmented"
    else:
        points = distinct_rows(X[:, [features.index(name) for name in used]], limit=k_min)
        if points < k_min:
            reason = (f"axis {axis}: {points} distinct point{'s' if points > 1 else ''} over {n:,} {entities}, "
                      f"fewer than k_min = {k_min}; not segmented")
    return AxisInput(tuple(features), X, used, reason)
