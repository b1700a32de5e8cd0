"""One coercion per kind of :class:`~cluster_marts.config.rules.Rule`.

Values set through dbt vars arrive as strings (``"8"``, ``"0.01"``,
``"region, channel"``), so numbers and lists are parsed from text the same way
in a ``config.meta`` and in a workbench spec.  Booleans are never numbers,
non-finite numbers are rejected, choices are matched without case.  Each
``to_<kind>`` raises :class:`~cluster_marts.config.rules.Invalid`;
:func:`check` turns that into a :class:`~cluster_marts.errors.SettingsError`
with the context, the key and the allowed values.  Mappings are checked by
:mod:`cluster_marts.config.schema`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from cluster_marts.config.rules import BOOL, CHOICE, FIX, FLOAT, INT, LIST, STR, Context, Invalid, Rule, is_unset
from cluster_marts.errors import SettingsError

__all__ = [
    "to_int", "to_float", "to_bool", "to_str", "to_choice", "to_list", "COERCIONS", "check",
    "FIX", "bad_setting", "as_features", "is_unset",
]

_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def _finite(value: Any, noun: str) -> float:
    if isinstance(value, bool):
        raise Invalid(f"must be {noun}, not a boolean")
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise Invalid(f"must be {noun}") from None
    if not math.isfinite(number):
        raise Invalid("must be a finite number")
    return number


def _within(number: float, rule: Rule) -> None:
    low, high = rule.low, rule.high
    if low is not None and (number < low or (rule.open_low and number == low)):
        raise Invalid("is out of range")
    if high is not None and (number > high or (rule.open_high and number == high)):
        raise Invalid("is out of range")


def to_int(value: Any, rule: Rule) -> int:
    """``8``, ``"8"``, ``" 8 "`` and ``8.0`` give ``8``; then the bounds are checked.

    Examples
    --------
    >>> to_int(" 8 ", Rule("k_max", INT, low=2))
    8
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value.strip())
    else:
        real = _finite(value, "an integer")
        if not real.is_integer():
            raise Invalid("must be a whole number")
        number = int(real)
    _within(number, rule)
    return number


def to_float(value: Any, rule: Rule) -> float:
    """``0.01``, ``"0.01"`` and ``0`` give a finite float; then the bounds are checked.

    Examples
    --------
    >>> to_float("0.01", Rule("min_cluster_share", FLOAT, low=0.0, high=0.5, open_high=True))
    0.01
    """
    number = _finite(value, "a number")
    _within(number, rule)
    return number


def to_bool(value: Any, rule: Rule) -> bool:
    """``True``/``False``, ``1``/``0`` and the strings true/false, yes/no, on/off, 1/0."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise Invalid("must be true or false")


def to_str(value: Any, rule: Rule) -> str:
    """A non-empty string (a column, file or model name), stripped; numbers are written as text."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid("must be a string")
    text = str(value).strip()
    if not text:
        raise Invalid("is empty")
    return text


def to_choice(value: Any, rule: Rule) -> str:
    """``value`` lower-cased, which must be one of ``rule.allowed`` (an alias of ``rule.aliases`` gives its value).

    Examples
    --------
    >>> to_choice("RoBuSt", Rule("scaling", CHOICE, allowed=("robust", "standard")))
    'robust'
    >>> to_choice("hierarchical", Rule("algorithm", CHOICE, allowed=("agglomerative",),
    ...                                aliases=(("hierarchical", "agglomerative"),)))
    'agglomerative'
    """
    text = str(value).strip().lower()
    text = dict(rule.aliases).get(text, text)
    if text not in rule.allowed:
        raise Invalid("is not allowed")
    return text


def to_list(value: Any, rule: Rule) -> Any:
    """A YAML list or a comma-separated string -> tuple of distinct names (or of ``rule.values`` items).

    Blanks are dropped; items of a list with ``allowed`` values are choices;
    an unset value gives the default when the list may be empty.

    Examples
    --------
    >>> to_list("region, channel", Rule("categorical_features", LIST, allow_empty=True))
    ('region', 'channel')
    """
    if is_unset(value):
        items: list[Any] = []
    elif isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise Invalid("must be a list")
    if rule.values is not None:
        out = tuple(_item(item, rule.values) for item in items)
    else:
        names = [name for name in (str(item).strip() for item in items) if name]
        if rule.allowed:
            choice = Rule(rule.name, CHOICE, allowed=rule.allowed, aliases=rule.aliases)
            names = [_item(name, choice) for name in names]
        out = tuple(names)
        twice = sorted({name for name in out if out.count(name) > 1})
        if twice:
            raise Invalid(f"lists {', '.join(twice)} twice")
    if not out and not rule.allow_empty:
        raise Invalid("is empty")
    return rule.default if not out and is_unset(value) else out


def _item(item: Any, rule: Rule) -> Any:
    try:
        return COERCIONS[rule.kind](item, rule)
    except Invalid as exc:
        raise Invalid(exc.why, value=item) from None


COERCIONS: dict[str, Callable[[Any, Rule], Any]] = {
    INT: to_int, FLOAT: to_float, BOOL: to_bool, STR: to_str, CHOICE: to_choice, LIST: to_list,
}


def check(rule: Rule, value: Any, ctx: Context, key: str) -> Any:
    """Coerce ``value`` by its rule's kind (not ``mapping``); raise the context's error if it fails.

    Parameters
    ----------
    rule : Rule
    value : object
        As read from YAML or rendered by dbt.
    ctx : Context
        Model or spec, for the message.
    key : str
        Key path shown in the message (``"fcm.m"``, ``"algorithm.params.eps"``).

    Raises
    ------
    SettingsError
        ``<context> '<key>'=<value> <why>; allowed values: <rule.describe()>``.
    """
    if rule.nullable and is_unset(value):
        return None
    try:
        return COERCIONS[rule.kind](value, rule)
    except Invalid as exc:
        shown = value if exc.value is ... else exc.value
        raise ctx.error(key, shown, exc.why, rule.describe()) from None


# -- helpers for the checks a domain adapter makes itself (same message format) --

def bad_setting(model: str, key: str, value: Any, why: str) -> SettingsError:
    """The standard error about a model setting: model, ``key=value``, why and the fix."""
    return Context.for_model(model).error(key, value, why.rstrip("; "))


def as_features(value: Any, model: str, key: str = "features", allow_empty: bool = False) -> tuple[str, ...]:
    """Column names from a YAML list or a comma-separated string (as set through a dbt var).

    Examples
    --------
    >>> as_features("region, channel", "m", key="categorical_features")
    ('region', 'channel')
    """
    rule = Rule(key, LIST, default=(), allow_empty=allow_empty)
    return check(rule, value, Context.for_model(model), key)
