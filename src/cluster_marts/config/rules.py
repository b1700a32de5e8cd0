"""Setting rules: one rule type, one description of the allowed values, one error format.

A :class:`Rule` says what one setting accepts: its kind, default, bounds
(each end open or closed), allowed values and whether it is required.
Turning a value into its kind is :mod:`cluster_marts.config.coerce`;
checking a whole mapping against a table of rules is
:mod:`cluster_marts.config.schema`.  Every error is built by
:meth:`Context.error`, so a provider ``config.meta``, a customer method block
and a workbench spec report a problem the same way: where (dbt model or spec
file), the key path, the value, what is wrong and the allowed values.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from cluster_marts.errors import SettingsError

__all__ = [
    "INT", "FLOAT", "BOOL", "STR", "CHOICE", "LIST", "MAPPING", "KINDS", "FIX",
    "Rule", "Context", "Invalid", "is_unset", "format_number",
]

INT, FLOAT, BOOL, STR, CHOICE, LIST, MAPPING = "int", "float", "bool", "str", "choice", "list", "mapping"
KINDS = (INT, FLOAT, BOOL, STR, CHOICE, LIST, MAPPING)
#: the fix appended to every error about a dbt model's settings
FIX = "(edit config.meta in the model's YAML)"


@dataclass(frozen=True)
class Rule:
    """What one setting accepts.

    Parameters
    ----------
    name : str
        Key of the setting in its mapping.
    kind : {"int", "float", "bool", "str", "choice", "list", "mapping"}
        ``str`` is a non-empty string (a column or file name); ``list`` a list
        of distinct names (a YAML list or a comma-separated string); ``mapping``
        a YAML mapping or a JSON object string.
    default : object, default=None
        Value when the key is left out.  A ``mapping`` rule with ``fields`` and
        no default defaults to its fields' defaults.
    low, high : float or None, default=None
        Bounds of ``int`` and ``float`` values; ``None`` means unbounded.
    open_low, open_high : bool, default=False
        Exclude the bound itself (``> low`` instead of ``>= low``).
    allowed : tuple of str, default=()
        The values a ``choice`` (or every item of a ``list``) may take.
    aliases : tuple of (str, str), default=()
        Other names of allowed values, ``(alias, value)`` pairs: a ``choice``
        (or an item of a ``list``) given as an alias is read as its value.
    required : bool, default=False
        The key must be present and set.
    nullable : bool, default=False
        ``None`` / ``"null"`` / ``"none"`` / ``""`` stand for "off" and give ``None``.
    allow_empty : bool, default=False
        A ``list`` or ``mapping`` may be empty.
    fields : tuple of Rule, optional
        Rules of a ``mapping`` with fixed keys.
    values : Rule, optional
        Rule of every value of a ``mapping`` with free keys, or of every item
        of a ``list`` of non-names (e.g. integers).
    into : callable, optional
        Builds the result of a ``mapping`` from its checked values
        (``into(**values)``, e.g. a frozen dataclass); may raise :class:`Invalid`.
    doc : str, default=""
        Replaces the generated description of the allowed values.
    """

    name: str
    kind: str
    default: Any = None
    low: float | None = None
    high: float | None = None
    open_low: bool = False
    open_high: bool = False
    allowed: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    required: bool = False
    nullable: bool = False
    allow_empty: bool = False
    fields: tuple[Rule, ...] | None = None
    values: Rule | None = None
    into: Callable[..., Any] | None = None
    doc: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"rule {self.name!r}: unknown kind {self.kind!r}; use one of {', '.join(KINDS)}")

    def replace(self, **changes: Any) -> Rule:
        """A copy with ``changes`` (e.g. another default for another context)."""
        return replace(self, **changes)

    def bounds(self) -> str:
        """The bounds as text, e.g. ``"> 0 and < 0.5"`` (empty when unbounded).

        Examples
        --------
        >>> Rule("tol", FLOAT, low=0.0, open_low=True, high=1.0).bounds()
        '> 0 and <= 1'
        """
        parts = []
        if self.low is not None and self.low > -math.inf:
            parts.append(f"{'>' if self.open_low else '>='} {format_number(self.low)}")
        if self.high is not None and self.high < math.inf:
            parts.append(f"{'<' if self.open_high else '<='} {format_number(self.high)}")
        return " and ".join(parts)

    def describe(self) -> str:
        """The allowed values, as quoted after ``allowed values:`` in every error.

        Examples
        --------
        >>> Rule("k_min", INT, low=2).describe()
        'an integer >= 2'
        >>> Rule("pca_components", INT, low=1, nullable=True).describe()
        'an integer >= 1, or null'
        >>> Rule("scaling", CHOICE, allowed=("minmax", "standard")).describe()
        'minmax, standard'
        """
        text = self.doc or self._generated()
        return f"{text}, or null" if self.nullable else text

    def _generated(self) -> str:
        if self.kind in (INT, FLOAT):
            noun = "an integer" if self.kind == INT else "a number"
            return f"{noun} {self.bounds()}".strip()
        if self.kind == BOOL:
            return "true or false"
        if self.kind == STR:
            return "a non-empty string"
        if self.kind == CHOICE or (self.kind == LIST and self.allowed):
            aliases = [f"{alias} = {value}" for alias, value in self.aliases if value in self.allowed]
            return ", ".join(self.allowed) + (f" (aliases: {', '.join(aliases)})" if aliases else "")
        size = "a" if self.allow_empty else "a non-empty"
        if self.kind == LIST:
            return f"{size} list, each {self.values.describe()}" if self.values else f"{size} list of column names"
        if self.fields is not None:
            return f"a mapping with keys: {', '.join(rule.name for rule in self.fields)}"
        return f"{size} mapping of name -> {self.values.describe()}" if self.values else f"{size} mapping"


def format_number(value: float) -> str:
    """A bound as written in the messages: ``2`` for 2.0, ``1000000000`` for 1e9, ``0.05`` / ``1e-05`` otherwise."""
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    return f"{value:g}"


class Invalid(Exception):
    """Raised by a coercion: what is wrong with a value (turned into a :class:`SettingsError` by the caller).

    Parameters
    ----------
    why : str
        What is wrong, e.g. ``"is out of range"``.
    value : object, optional
        The offending part of the value (one item of a list); default the whole value.
    """

    def __init__(self, why: str, value: Any = ...) -> None:
        super().__init__(why)
        self.why, self.value = why, value


@dataclass(frozen=True)
class Context:
    """Where settings come from, for the error messages.

    Use :meth:`for_model` (``model <name>: setting '<key>'``, with the fix
    "edit config.meta") or :meth:`for_spec` (``spec <file>: key '<path>'``).
    """

    prefix: str
    fix: str = ""

    @classmethod
    def for_model(cls, model: str) -> Context:
        """Settings of the dbt model ``model`` (its ``config.meta``)."""
        return cls(f"model {model}: setting", FIX)

    @classmethod
    def for_spec(cls, file: str) -> Context:
        """Keys of the workbench spec ``file``."""
        return cls(f"spec {file}: key")

    def error(self, key: str, value: Any, why: str, allowed: str | None = None) -> SettingsError:
        """The one error format: context, ``key=value``, why, the allowed values and the fix.

        Examples
        --------
        >>> str(Context.for_spec("s.yml").error("preprocessing.scaling", "z", "is not allowed", "a, b"))
        "spec s.yml: key 'preprocessing.scaling'='z' is not allowed; allowed values: a, b"
        """
        text = f"{self.prefix} {key!r}={value!r} {why}"
        if allowed:
            text += f"; allowed values: {allowed}"
        return SettingsError(f"{text} {self.fix}".rstrip())


def is_unset(value: Any) -> bool:
    """True for ``None`` and for the strings ``""``, ``"none"``, ``"null"`` (any case).

    dbt renders an unset var as ``"None"``, so these all mean "not set".
    """
    return value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "null"))
