"""Exceptions raised by the clustering engine.

Every message names the dbt model, the column or setting at fault and the fix,
so a failing ``dbt build`` tells the analyst what to edit without a traceback
from deep inside scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ClusterMartsError", "SettingsError", "InputDataError", "preview"]


class ClusterMartsError(ValueError):
    """Base class of every error raised on purpose by :mod:`cluster_marts`.

    Subclasses :class:`ValueError`, so callers that already catch
    ``ValueError`` keep working.
    """


class SettingsError(ClusterMartsError):
    """A setting from ``config.meta`` (or a dbt var) is missing or invalid."""


class InputDataError(ClusterMartsError):
    """The rows handed to the engine cannot be clustered as they are."""


def preview(values: Iterable[object], limit: int = 5) -> str:
    """Format up to ``limit`` values for an error message.

    Parameters
    ----------
    values : iterable
        Values to show (ids, column names, ...).
    limit : int, default=5
        How many values to show before summarising the rest.

    Returns
    -------
    str
        Comma-separated values, with ``"... (+n more)"`` when truncated.

    Examples
    --------
    >>> preview([1, 2, 3, 4, 5, 6, 7], limit=3)
    '1, 2, 3 ... (+4 more)'
    """
    items = [str(v) for v in values]
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f" ... (+{len(items) - limit} more)"
    return shown
