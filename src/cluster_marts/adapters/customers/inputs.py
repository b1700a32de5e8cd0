"""What the customer models read: settings with the axes' patterns expanded, the checked features, each axis's input.

Shared by the segmentation (:mod:`~cluster_marts.adapters.customers.pipeline`)
and the snapshot reference model (:mod:`~cluster_marts.adapters.customers.reference`),
so both expand the same patterns against the same columns, reject the same
inputs and skip the same axes for the same reasons.

An axis with a ``population`` (:mod:`cluster_marts.config.axes`) sees only the
rows its SQL expression holds true for (:func:`population_rows`, evaluated by
an in-memory DuckDB over the checked features; null counts as false).
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd

from cluster_marts.config.segmentation import STORE_COLUMN, SegmentationSettings, expand_axes, fits_per_store
from cluster_marts.errors import SettingsError, preview
from cluster_marts.preprocessing.axis_inputs import AxisInput, SortedInput, axis_input, sorted_input
from cluster_marts.progress import LOGGER

__all__ = ["FEATURES_SOURCE", "EMPTY_FEATURES", "AxisRows", "checked_input", "axis_inputs", "population_rows",
           "store_axes"]

#: the model the segmentation reads, and why it can be empty (the error message of an empty input)
FEATURES_SOURCE = "customer_features"
EMPTY_FEATURES = (
    "every order was quarantined or the orders source is empty; see stg_customer_orders_quarantine (orders set aside, "
    "with their reason) and customer_features_quarantine (customers set aside)"
)


#: the column that numbers the rows while a population is evaluated
_POSITION = "__cluster_marts_position"


class AxisRows(NamedTuple):
    """One axis's input: its name, the positions of its rows in the sorted input (None: every row), its features."""

    axis: str
    rows: np.ndarray | None
    input: AxisInput


def checked_input(features: pd.DataFrame, s: SegmentationSettings, *, model: str, source: str = FEATURES_SOURCE,
                  when_empty: str = EMPTY_FEATURES) -> tuple[SegmentationSettings, SortedInput]:
    """The settings with the axes' patterns expanded against ``features``, and the checked input sorted by id.

    Raises
    ------
    SettingsError
        A pattern that matches no column.
    InputDataError
        See :func:`~cluster_marts.preprocessing.axis_inputs.sorted_input`: ``source`` empty (the message says
        ``when_empty``), fewer rows than ``k_min + 1``, missing columns, bad ids.
    """
    s = expand_axes(s, [str(c) for c in getattr(features, "columns", ())], model=model)
    return s, sorted_input(features, s, model, source=source, when_empty=when_empty)


def population_rows(data: SortedInput, expression: str, axis: str, model: str) -> np.ndarray:
    """Positions (ascending) of the rows of ``data`` for which the SQL ``expression`` is true.

    Raises
    ------
    SettingsError
        The expression does not run on the features (names the axis, the DuckDB message and the columns) or
        is not a true/false condition.

    Examples
    --------
    >>> data = SortedInput(pd.DataFrame({"id": ["a", "b", "c"], "frequency": [1, 3, None]}), pd.Series(["a", "b", "c"]))
    >>> population_rows(data, "frequency >= 2", "repeat", "m")
    array([1])
    """
    where = f"model {model}: setting 'axes.{axis}.population' {expression!r}"
    con = duckdb.connect()
    try:
        con.register("features", data.frame.assign(**{_POSITION: np.arange(len(data.frame), dtype=np.int64)}))
        kind = con.execute(f"select typeof(({expression})) from features limit 1").fetchall()
        if kind and kind[0][0] not in ("BOOLEAN", "NULL"):
            raise SettingsError(f"{where} gives {kind[0][0]} values, not true/false; write a condition such as "
                                "'frequency >= 2' (edit config.meta.axes)")
        # a where clause: one answer per row, in the rows' own order (a window or an aggregate is refused)
        rows = con.execute(f"select {_POSITION} from features where ({expression}) order by {_POSITION}").fetchnumpy()
    except duckdb.Error as error:
        raise SettingsError(
            f"{where} does not run on the features as a condition of each row: {str(error).splitlines()[0]}; "
            f"available columns: {preview(data.frame.columns, limit=50)}; write a condition on these columns "
            "(edit config.meta.axes)"
        ) from None
    finally:
        con.close()
    return np.asarray(rows[_POSITION], dtype=np.int64)


def _population_input(data: SortedInput, s: SegmentationSettings, axis: str, columns: tuple[str, ...],
                      model: str) -> AxisRows:
    expression = s.population_of(axis)
    rows = population_rows(data, expression, axis, model)
    subset = data.frame.iloc[rows][[s.id_column, *columns]].reset_index(drop=True)
    axis_in = axis_input(SortedInput(subset, subset[s.id_column]), axis, columns, s.id_column, s.k_min, model,
                         entities="customers")
    if rows.size < s.k_min + 1:
        axis_in = AxisInput(axis_in.features, axis_in.X, axis_in.used,
                            f"axis {axis}: population {expression!r} holds {rows.size:,} of {len(data.ids):,} "
                            f"customers, fewer than k_min + 1 = {s.k_min + 1}; not segmented")
    return AxisRows(axis, rows, axis_in)


def axis_inputs(data: SortedInput, s: SegmentationSettings, model: str) -> list[AxisRows]:
    """Every configured axis's input, in order (a population axis: its rows only); skipped axes' reasons logged."""
    out = []
    for axis, columns in s.axes:
        if s.population_of(axis) is None:
            entry = AxisRows(axis, None, axis_input(data, axis, columns, s.id_column, s.k_min, model,
                                                    entities="customers"))
        else:
            entry = _population_input(data, s, axis, columns, model)
        if entry.input.skip_reason:
            LOGGER.info("%s", entry.input.skip_reason)
        out.append(entry)
    return out


def store_axes(s: SegmentationSettings, data: SortedInput, model: str) -> SegmentationSettings:
    """The axes fitted: the configured ones, or with ``store_fits: per_store`` each once per store of the
    features' ``store_id`` (:func:`~cluster_marts.config.segmentation.fits_per_store`); without stores
    there is one shop, and the configured axes are fitted."""
    if s.store_fits != "per_store":
        return s
    column = data.frame.get(STORE_COLUMN)
    stores = sorted(column.dropna().astype(str).unique()) if column is not None else []
    if not stores:
        LOGGER.info("%s: store_fits is per_store but the features have no %s: one fit per axis", model, STORE_COLUMN)
        return s
    LOGGER.info("%s: one fit per store and axis (%d stores: %s)", model, len(stores), ", ".join(stores))
    return fits_per_store(s, stores)
