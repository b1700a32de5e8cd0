"""Group comparisons for the regional marts (e.g. providers by region).

The SQL mart computes the descriptive statistics (mean, median, std, count);
this module adds what SQL cannot: a Kruskal-Wallis test per metric.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cluster_marts.config.groups import group_settings_from_meta
from cluster_marts.errors import InputDataError
from cluster_marts.profiling.stats import kruskal_by_group


def parse_group_settings(meta: Mapping[str, Any] | None, *, model: str) -> tuple[str, dict[str, str], float]:
    """Validate ``config.meta`` of a group-comparison model (:mod:`cluster_marts.config.groups`).

    Parameters
    ----------
    meta : mapping or None
        ``group_column`` (str), ``metrics`` (mapping metric name -> column),
        optional ``alpha`` (significance level, default 0.05).
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    group_column, metrics, alpha
    """
    s = group_settings_from_meta(meta, model=model)
    return s.group_column, dict(s.metrics), s.alpha


def compare_groups(frame: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str) -> pd.DataFrame:
    """Kruskal-Wallis test of every configured metric across groups.

    Returns one row per metric: metric, n_groups, n_observations, h_statistic,
    p_value, epsilon_squared, alpha, is_significant.
    """
    group_column, metrics, alpha = parse_group_settings(meta, model=model)
    missing = [c for c in [group_column, *metrics.values()] if c not in frame.columns]
    if missing:
        raise InputDataError(
            f"model {model}: column(s) {missing} not in the input; available: "
            f"{list(frame.columns)}. Fix config.meta.metrics / group_column."
        )
    renamed = frame[[group_column, *metrics.values()]].rename(
        columns={column: name for name, column in metrics.items()}
    )
    for name in metrics:
        renamed[name] = pd.to_numeric(renamed[name], errors="raise").astype("float64")
    result = kruskal_by_group(renamed, group_column, list(metrics))
    result["alpha"] = alpha
    result["is_significant"] = (result["p_value"] < alpha).fillna(False).astype(bool)
    return result.reset_index(drop=True)
