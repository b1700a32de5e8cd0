"""Purchase histories as the buy-till-you-die models read them, checked once.

A customer is ``(x, t_x, T)`` in days, orders counted one per customer-day (the literature's count: two
orders on one day are one purchase occasion):

- ``x``: repeat purchase days (purchase days after the first one);
- ``t_x``: days from the first to the last purchase day (0 when ``x = 0``);
- ``T``: days from the first purchase day to the end of the calibration period.
"""

from __future__ import annotations

import numpy as np

from cluster_marts.errors import InputDataError

__all__ = ["check_history", "check_horizon"]


def check_history(x, t_x, T, *, where: str, tolerance: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x, t_x, T)`` as float arrays of one length, checked; the error names the argument at fault.

    The one check of a purchase history, for the value models and the lapse score's BG/NBD.
    ``tolerance``: how far ``t_x`` may exceed ``T`` (float rounding of days computed in SQL); such
    a ``t_x`` is returned as ``T``.
    """
    arrays = {}
    for name, values in (("x", x), ("t_x", t_x), ("T", T)):
        array = np.atleast_1d(np.asarray(values, dtype=np.float64))
        if array.ndim != 1:
            raise InputDataError(f"{where}: argument {name} must be one-dimensional (one value per customer), "
                                 f"got shape {array.shape}")
        if not np.all(np.isfinite(array)):
            raise InputDataError(f"{where}: argument {name} has missing or infinite values; "
                                 "drop those customers or fill them before fitting")
        if np.any(array < 0):
            raise InputDataError(f"{where}: argument {name} has negative values (smallest {array.min():g}); "
                                 "counts and times since the first purchase are >= 0")
        arrays[name] = array
    x, t_x, T = arrays["x"], arrays["t_x"], arrays["T"]
    if not (x.size == t_x.size == T.size):
        raise InputDataError(f"{where}: arguments x, t_x and T differ in length ({x.size}, {t_x.size}, {T.size})")
    if np.any(x != np.round(x)):
        raise InputDataError(f"{where}: argument x must count repeat purchases (whole numbers)")
    if np.any(t_x > T + tolerance):
        raise InputDataError(f"{where}: argument t_x exceeds T for {int(np.sum(t_x > T + tolerance))} customer(s); "
                             "the last purchase must fall within the calibration period (t_x <= T)")
    if np.any((x == 0) & (t_x > 0)):
        raise InputDataError(f"{where}: argument t_x must be 0 for customers with x = 0 (no repeat purchase)")
    return x, np.minimum(t_x, T), T


def check_horizon(t, where: str) -> float:
    """The prediction horizon in days: one finite number >= 0."""
    value = np.asarray(t, dtype=np.float64)
    if value.ndim != 0 or not np.isfinite(value) or value < 0:
        raise InputDataError(f"{where}: argument t (the horizon in days) must be one finite number >= 0, got {t!r}")
    return float(value)
