"""Coercion of ``config.meta`` values into typed settings.

Values set through dbt vars often arrive as strings (``"8"``, ``"0.01"``), so
integers and floats are coerced; booleans, non-numbers and non-finite values
are rejected with a :class:`~cluster_marts.errors.SettingsError` naming the
model, the key and the fix.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from cluster_marts.errors import SettingsError

__all__ = ["FIX", "bad_setting", "as_int", "as_float", "as_float_in", "as_features", "as_choice", "is_unset"]

FIX = "(edit config.meta in the model's YAML)"


def bad_setting(model: str, key: str, value: Any, why: str) -> SettingsError:
    """Build the standard error: model, ``key=value``, why, and where to fix it."""
    return SettingsError(f"model {model}: setting {key!r}={value!r} {why} {FIX}")


def _as_number(value: Any, key: str, model: str, kind: str) -> float:
    if isinstance(value, bool):
        raise bad_setting(model, key, value, f"must be {kind}, not a boolean;")
    if isinstance(value, str):
        value = value.strip()
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise bad_setting(model, key, value, f"must be {kind};") from None
    if not math.isfinite(number):
        raise bad_setting(model, key, value, "must be a finite number;")
    return number


def as_int(value: Any, key: str, model: str) -> int:
    """Coerce ``8``, ``"8"``, ``8.0`` to ``8``; reject bools and non-integers.

    Examples
    --------
    >>> as_int(" 8 ", "k_max", "m")
    8
    """
    number = _as_number(value, key, model, "an integer")
    if not number.is_integer():
        raise bad_setting(model, key, value, "must be a whole number;")
    return int(number)


def as_float(value: Any, key: str, model: str) -> float:
    """Coerce ``0.01``, ``"0.01"``, ``0`` to a finite float; reject bools.

    Examples
    --------
    >>> as_float("0.01", "min_cluster_share", "m")
    0.01
    """
    return _as_number(value, key, model, "a number")


def as_float_in(value: Any, key: str, model: str, low: float, high: float, inclusive: bool) -> float:
    """:func:`as_float`, then check ``low <= value < high`` (``<= high`` when ``inclusive``).

    Examples
    --------
    >>> as_float_in("0.2", "min_cluster_share", "m", 0.0, 0.5, False)
    0.2
    """
    number = as_float(value, key, model)
    if number < low or number > high or (number == high and not inclusive):
        bound = "" if high == float("inf") else f" and {'<=' if inclusive else '<'} {high}"
        raise bad_setting(model, key, value, f"must be >= {low}{bound};")
    return number


def as_features(value: Any, model: str, key: str = "features", allow_empty: bool = False) -> tuple[str, ...]:
    """Accept a YAML list or a comma-separated string (as set through a dbt var).

    Parameters
    ----------
    value : list, tuple or str
        Column names; blanks are dropped, duplicates rejected.
    model : str
        dbt model name, used in error messages.
    key : str, default="features"
        Setting name, used in error messages.
    allow_empty : bool, default=False
        Accept an empty list (and ``None``/``"null"``) as ``()``.

    Examples
    --------
    >>> as_features("region, channel", "m", key="categorical_features")
    ('region', 'channel')
    """
    if allow_empty and is_unset(value):
        return ()
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    elif isinstance(value, (list, tuple)):
        items = [str(part).strip() for part in value]
    else:
        raise bad_setting(model, key, value, "must be a list of column names;")
    items = [item for item in items if item]
    if not items and not allow_empty:
        raise bad_setting(model, key, value, "must name at least one column;")
    duplicated = sorted({item for item in items if items.count(item) > 1})
    if duplicated:
        raise bad_setting(model, key, value, f"lists {', '.join(duplicated)} twice;")
    return tuple(items)


def as_choice(value: Any, key: str, choices: Sequence[str], model: str) -> str:
    """Lower-case ``value`` and check it is one of ``choices``."""
    text = str(value).strip().lower()
    if text not in choices:
        raise SettingsError(
            f"model {model}: setting {key!r}={value!r} is not allowed; use one of: {', '.join(choices)} {FIX}"
        )
    return text


def is_unset(value: Any) -> bool:
    """True for ``None`` and for the strings ``""``, ``"none"``, ``"null"`` (any case)."""
    return value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "null"))
