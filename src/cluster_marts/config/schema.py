"""Check a mapping against a table of rules: the one settings parser.

:func:`parse_mapping` rejects unknown keys (listing the allowed ones) and
missing required keys, coerces every value by its
:class:`~cluster_marts.config.rules.Rule` (nested mappings included) and fills
in defaults; :func:`bind` takes the defaults of a rule table from the frozen
dataclass it fills, so each default is written once.  Every error names the
context (dbt model or spec file), the key path and the allowed values.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any

from cluster_marts.config.coerce import check
from cluster_marts.config.rules import MAPPING, Context, Invalid, Rule, is_unset

__all__ = ["parse_mapping", "coerce_value", "bind", "pairs"]


def coerce_value(rule: Rule, value: Any, ctx: Context, key: str) -> Any:
    """Coerce ``value`` by ``rule`` (any kind, nested mappings included).

    Raises
    ------
    SettingsError
        From :meth:`Context.error`, naming ``key``.
    """
    if rule.kind != MAPPING:
        return check(rule, value, ctx, key)
    if rule.nullable and is_unset(value):
        return None
    if is_unset(value):
        return _default(rule, ctx, key)
    data = _as_dict(value, ctx, key, rule.describe())
    if rule.fields is not None:
        out: Any = parse_mapping(data, rule.fields, ctx, path=key)
    elif rule.values is not None:
        out = {name: coerce_value(rule.values, item, ctx, f"{key}.{name}") for name, item in data.items()}
    else:
        out = data
    if not out and not rule.allow_empty:
        raise ctx.error(key, value, "is empty", rule.describe())
    if rule.into is None:
        return out
    try:
        return rule.into(**out)
    except Invalid as exc:
        raise ctx.error(key, value, exc.why, rule.describe()) from None


def _default(rule: Rule, ctx: Context, key: str) -> Any:
    """A left-out value: the rule's default; a mapping of fields defaults to its fields' defaults."""
    if rule.kind == MAPPING and rule.fields is not None and rule.default is None:
        return coerce_value(rule, {}, ctx, key)
    return rule.default


def _as_dict(value: Any, ctx: Context, key: str, allowed: str) -> dict[str, Any]:
    """A mapping, or a JSON object string (``--vars`` on the command line), with stripped string keys."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            pass
    if not isinstance(value, Mapping):
        raise ctx.error(key, value, "must be a mapping", allowed)
    data = {str(name).strip(): item for name, item in value.items()}
    if "" in data:
        raise ctx.error(key, value, "has an empty key", allowed)
    return data


def _also(names: list[str], label: str) -> str:
    return f" (also {label}: {', '.join(names)})" if names else ""


def parse_mapping(
    raw: Any,
    rules: Iterable[Rule],
    ctx: Context,
    *,
    path: str = "",
    ignored: Iterable[str] = (),
    what: str = "a known key",
) -> dict[str, Any]:
    """Check ``raw`` against ``rules`` and return every rule's value, in table order.

    Parameters
    ----------
    raw : mapping, JSON object string or None
        As read from YAML (``None`` is an empty mapping).
    rules : iterable of Rule
        The table; its order is the order of the result and of the allowed keys in messages.
    ctx : Context
        Model or spec, for the messages.
    path : str, default=""
        Key path of ``raw`` itself (``"preprocessing"``); keys are reported as ``path.key``.
    ignored : iterable of str, default=()
        Further keys that are allowed and left out of the result (``description``, ``owner``...).
    what : str, default="a known key"
        How an unknown key is reported: ``'<key>'=<value> is not <what>``.

    Returns
    -------
    dict
        Rule name -> coerced value or default.

    Raises
    ------
    SettingsError
        Unknown key (with the allowed keys), missing required key, value of the
        wrong kind or out of range (with the allowed values).

    Examples
    --------
    >>> from cluster_marts.config.rules import INT
    >>> parse_mapping({"k_max": "5"}, [Rule("k_max", INT, default=8, low=2)], Context.for_model("m"))
    {'k_max': 5}
    """
    table = list(rules)
    names = [rule.name for rule in table]
    skip = list(ignored)
    allowed = ", ".join(names + [name for name in skip if name not in names])
    data = {} if is_unset(raw) else _as_dict(raw, ctx, path, f"a mapping with keys: {allowed}")

    def key_of(name: str) -> str:
        return f"{path}.{name}" if path else name

    unknown = [name for name in data if name not in names and name not in skip]
    if unknown:
        first = unknown[0]
        raise ctx.error(key_of(first), data[first], f"is not {what}{_also(unknown[1:], 'unknown')}", allowed)
    missing = [rule for rule in table if rule.required and is_unset(data.get(rule.name))]
    if missing:
        rule = missing[0]
        why = f"is required{_also([other.name for other in missing[1:]], 'missing')}"
        raise ctx.error(key_of(rule.name), data.get(rule.name), why, rule.describe())
    return {
        rule.name: coerce_value(rule, data[rule.name], ctx, key_of(rule.name)) if rule.name in data
        else _default(rule, ctx, key_of(rule.name))
        for rule in table
    }


def bind(cls: type, *rules: Rule, derived: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """The rules of the frozen dataclass ``cls``, with defaults and ``required`` taken from its fields.

    A field without a default is required.  Every field but the ``derived``
    ones (filled by the parser from other keys, not read from a key of their
    own) must have exactly one rule (checked here, so a new field cannot be
    forgotten).

    Examples
    --------
    >>> from cluster_marts.config.rules import FLOAT
    >>> @dataclasses.dataclass(frozen=True)
    ... class Weights:
    ...     w: float = 0.5
    >>> bind(Weights, Rule("w", FLOAT, low=0.0))[0].default
    0.5
    """
    by_name = {rule.name: rule for rule in rules}
    fields = [field for field in dataclasses.fields(cls) if field.name not in derived]
    if sorted(by_name) != sorted(field.name for field in fields) or len(by_name) != len(rules):
        raise TypeError(f"{cls.__name__}: rules {sorted(by_name)} do not match the fields")
    bound = []
    for field in fields:
        rule = by_name[field.name]
        if field.default is not dataclasses.MISSING:
            bound.append(rule.replace(default=field.default))
        elif field.default_factory is not dataclasses.MISSING:
            bound.append(rule.replace(default=field.default_factory()))
        else:
            bound.append(rule.replace(required=True))
    return tuple(bound)


def pairs(**named: Any) -> tuple[tuple[str, Any], ...]:
    """``into`` of a free-key mapping kept in a frozen dataclass: ``((name, value), ...)`` in configuration order.

    Examples
    --------
    >>> pairs(engagement=("f", "m"), returns=("r",))
    (('engagement', ('f', 'm')), ('returns', ('r',)))
    """
    return tuple(named.items())
