"""The axes of a segmentation: their feature columns, patterns and per-axis options.

An axis is a line of YAML: a list of feature columns (or glob patterns), or a
mapping that adds options to the list::

    axes:
      engagement: [log_frequency, log_monetary, orders_per_month]
      category_mix: ["share_*"]
      repeat_engagement:                 # a sub-population axis
        features: [log_frequency, log_monetary, orders_per_month]
        population: "frequency >= 2"     # SQL over the features table's columns
        selection_rule: silhouette       # this axis's own k rule

``population`` is a boolean SQL expression over the columns of the features
table (a dbt model's ``where`` clause, without the ``where``): only the rows it
holds true for are fitted and scored on that axis; the others have no
assignment there (null where a mart is one row per customer).
``selection_rule`` replaces the model's rule for that axis (a small
sub-population's natural groups are rarely balanced: ``silhouette`` finds them).

An entry containing ``*``, ``?`` or ``[`` is a glob pattern (:mod:`fnmatch`,
case-sensitive), expanded at fit time against the columns of the features
table, in the table's column order (:func:`expand_axis`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from cluster_marts.config.rules import CHOICE, LIST, STR, Context, Rule
from cluster_marts.config.schema import parse_mapping
from cluster_marts.errors import SettingsError, preview

__all__ = ["AxisOptions", "AXIS_RULES", "SELECTION_RULES", "split_axes", "is_pattern", "expand_axis"]

SELECTION_RULES = ("balanced", "silhouette")

#: the keys of an axis given as a mapping
AXIS_RULES = (
    Rule("features", LIST, required=True, doc="a non-empty list of numeric column names or glob patterns (share_*)"),
    Rule("population", STR, nullable=True,
         doc="a boolean SQL expression over the features table's columns, e.g. 'frequency >= 2'"),
    Rule("selection_rule", CHOICE, allowed=SELECTION_RULES, nullable=True),
)


@dataclass(frozen=True)
class AxisOptions:
    """Options of one axis given as a mapping; ``None`` keeps the model's behaviour."""

    population: str | None = None
    selection_rule: str | None = None


def split_axes(raw: Any, ctx: Context) -> tuple[Any, tuple[tuple[str, AxisOptions], ...]]:
    """The ``axes`` setting with every mapping-form axis replaced by its feature list, and those axes' options.

    A JSON object string is read as its mapping; anything else but a mapping is returned as it is (the
    ``axes`` rule reports it).

    Raises
    ------
    SettingsError
        An axis mapping with an unknown key, without ``features``, or with a value of the wrong kind
        (the key path is ``axes.<axis>.<key>``).

    Examples
    --------
    >>> axes, options = split_axes({"a": ["x"], "b": {"features": ["y"], "population": "n >= 2"}},
    ...                            Context.for_model("m"))
    >>> axes, options
    ({'a': ['x'], 'b': ('y',)}, (('b', AxisOptions(population='n >= 2', selection_rule=None)),))
    """
    if isinstance(raw, str) and raw.strip().startswith("{"):
        try:
            raw = json.loads(raw)
        except ValueError:
            return raw, ()  # the axes rule reports it
    if not isinstance(raw, Mapping):
        return raw, ()
    plain, options = {}, []
    for name, value in raw.items():
        if isinstance(value, Mapping):
            parsed = parse_mapping(value, AXIS_RULES, ctx, path=f"axes.{name}")
            plain[name] = parsed["features"]
            option = AxisOptions(parsed["population"], parsed["selection_rule"])
            if option != AxisOptions():
                options.append((str(name), option))
        else:
            plain[name] = value
    return plain, tuple(options)


def is_pattern(entry: str) -> bool:
    """True when an axis entry is a glob pattern (contains ``*``, ``?`` or ``[``), not a column name."""
    return any(char in entry for char in "*?[")


def expand_axis(axis: str, entries: Sequence[str], columns: Sequence[str], *, model: str) -> tuple[str, ...]:
    """One axis's entries with each pattern replaced by the ``columns`` it matches, in their order, each once.

    Raises
    ------
    SettingsError
        A pattern that matches no column.

    Examples
    --------
    >>> expand_axis("mix", ["share_*", "n"], ["n", "share_b", "share_a"], model="m")
    ('share_b', 'share_a', 'n')
    """
    expanded: list[str] = []
    for entry in entries:
        matched = [c for c in columns if fnmatchcase(c, entry)] if is_pattern(entry) else [entry]
        if not matched:
            raise SettingsError(
                f"model {model}: setting 'axes.{axis}' pattern {entry!r} matches no column of the input; "
                f"available columns: {preview(columns, limit=50) or '(none)'}; fix the pattern in "
                "config.meta.axes or the upstream model"
            )
        expanded += matched
    return tuple(dict.fromkeys(expanded))
