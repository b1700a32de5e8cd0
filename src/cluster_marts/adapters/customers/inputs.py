"""What the customer models read: settings with the axes' patterns expanded, the checked features, each axis's input.

Shared by the segmentation (:mod:`~cluster_marts.adapters.customers.pipeline`)
and the snapshot reference model (:mod:`~cluster_marts.adapters.customers.reference`),
so both expand the same patterns against the same columns, reject the same
inputs and skip the same axes for the same reasons.
"""

from __future__ import annotations

import pandas as pd

from cluster_marts.config.segmentation import SegmentationSettings, expand_axes
from cluster_marts.preprocessing.axis_inputs import AxisInput, SortedInput, axis_input, sorted_input
from cluster_marts.progress import LOGGER

__all__ = ["FEATURES_SOURCE", "EMPTY_FEATURES", "checked_input", "axis_inputs"]

#: the model the segmentation reads, and why it can be empty (the error message of an empty input)
FEATURES_SOURCE = "customer_features"
EMPTY_FEATURES = (
    "every order was quarantined or the orders source is empty; see stg_customer_orders_quarantine (orders set aside, "
    "with their reason) and customer_features_quarantine (customers set aside)"
)


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


def axis_inputs(data: SortedInput, s: SegmentationSettings, model: str) -> list[tuple[str, AxisInput]]:
    """``(axis, input)`` of every configured axis, in order; each skipped axis's reason is logged."""
    out = []
    for axis, columns in s.axes:
        axis_in = axis_input(data, axis, columns, s.id_column, s.k_min, model, entities="customers")
        if axis_in.skip_reason:
            LOGGER.info("%s", axis_in.skip_reason)
        out.append((axis, axis_in))
    return out
