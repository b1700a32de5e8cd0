"""Settings of a group-comparison model (e.g. providers by region), read from ``config.meta``.

Example::

    group_column: region
    metrics: {intelligence: intelligence_index, price: blended_price_usd}   # metric name -> column
    alpha: 0.05                # significance level of the Kruskal-Wallis test, in (0, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cluster_marts.config.common import IGNORED_META_KEYS
from cluster_marts.config.rules import FLOAT, MAPPING, STR, Context, Rule
from cluster_marts.config.schema import bind, pairs, parse_mapping

__all__ = ["GroupSettings", "group_settings_from_meta", "RULES"]


@dataclass(frozen=True)
class GroupSettings:
    """Validated group-comparison settings; build with :func:`group_settings_from_meta`.

    Attributes
    ----------
    group_column : str
        Column holding the group (e.g. ``region``).
    metrics : tuple of (str, str)
        Metric name and its column, in configuration order.
    alpha : float in (0, 1), default=0.05
        Significance level.
    """

    group_column: str
    metrics: tuple[tuple[str, str], ...]
    alpha: float = 0.05


RULES = bind(
    GroupSettings,
    Rule("group_column", STR, doc="a column name, e.g. region"),
    Rule("metrics", MAPPING, values=Rule("column", STR, doc="a column name"), into=pairs,
         doc="a non-empty mapping of metric name -> column, e.g. {price: blended_price_usd}"),
    Rule("alpha", FLOAT, low=0.0, high=1.0, open_low=True, open_high=True),
)


def group_settings_from_meta(meta: Mapping[str, Any] | None, *, model: str) -> GroupSettings:
    """Validate the ``config.meta`` of a group-comparison model.

    Raises
    ------
    SettingsError
        Unknown key, missing ``group_column`` / ``metrics``, a metric without a
        column, ``alpha`` not a number in (0, 1); the message names the model,
        the key and the allowed values.

    Examples
    --------
    >>> s = group_settings_from_meta({"group_column": "region", "metrics": {"price": "p"}, "alpha": "0.1"}, model="m")
    >>> s.metrics, s.alpha
    ((('price', 'p'),), 0.1)
    """
    return GroupSettings(**parse_mapping(meta, RULES, Context.for_model(model), ignored=IGNORED_META_KEYS))
