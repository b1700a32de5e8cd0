"""Cross-store comparison of segment shares (several shops in one warehouse).

One pooled fit segments every shop's customers in one space; this module tests, for every axis and every
pair of stores, whether the two stores' customers fall into the segments in the same proportions: a
chi-square test of independence on the store x segment table, with Cramér's V as the effect size. The
pairs and axes are many, so a difference is called significant at ``alpha`` divided by the number of tests
(Bonferroni), and two shops alike show no difference on any axis but by a small chance.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from cluster_marts.errors import InputDataError

__all__ = ["STORE_TEST_COLUMNS", "compare_stores", "store_pair_test"]

STORE_TEST_COLUMNS = ["axis", "store_id", "other_store_id", "customers", "other_customers", "segments",
                      "chi_square", "degrees_of_freedom", "p_value", "cramers_v", "tests", "alpha",
                      "is_significant"]

_DTYPES = {"axis": "str", "store_id": "str", "other_store_id": "str", "customers": "int64",
           "other_customers": "int64", "segments": "int64", "chi_square": "float64", "degrees_of_freedom": "int64",
           "p_value": "float64", "cramers_v": "float64", "tests": "int64", "alpha": "float64", "is_significant": "bool"}


def store_pair_test(counts: np.ndarray) -> tuple[float, int, float, float]:
    """Chi-square test of independence of a 2 x k table of segment counts (two stores' customers).

    Segments neither store has are dropped. Returns ``(chi_square, degrees_of_freedom, p_value,
    cramers_v)``; with fewer than two segments left there is nothing to compare: ``(0.0, 0, 1.0, 0.0)``.

    Examples
    --------
    >>> store_pair_test(np.array([[50, 50], [50, 50]]))
    (0.0, 1, 1.0, 0.0)
    """
    table = np.asarray(counts, dtype=float)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or (table.sum(axis=1) == 0).any():
        return 0.0, 0, 1.0, 0.0
    chi2, p_value, dof, _ = sps.chi2_contingency(table, correction=False)
    cramers_v = math.sqrt(chi2 / (table.sum() * (min(table.shape) - 1)))
    return float(chi2), int(dof), float(p_value), float(cramers_v)


def compare_stores(segments: pd.DataFrame, settings: Mapping[str, Any] | None = None, *,
                   model: str = "int_customer_store_tests") -> pd.DataFrame:
    """Test every pair of stores on every axis (:data:`STORE_TEST_COLUMNS`, one row per axis and pair).

    Parameters
    ----------
    segments : DataFrame
        One row per customer and axis: ``axis``, ``store_id``, ``segment_id``. Rows without a store are
        left out; with fewer than two stores the result is empty.
    settings : mapping, optional
        ``alpha`` (default 0.05): the family-wise significance level, split over the tests.
    model : str
        dbt model name, used in error messages.
    """
    alpha = float((settings or {}).get("alpha", 0.05))
    if not 0 < alpha < 1:
        raise InputDataError(f"model {model}: alpha = {alpha} must be between 0 and 1 (config.meta.alpha)")
    missing = {"axis", "store_id", "segment_id"} - set(segments.columns)
    if missing:
        raise InputDataError(f"model {model}: the segments lack the columns {sorted(missing)}")
    rows = segments.dropna(subset=["store_id"])
    counts = rows.groupby(["axis", "store_id", "segment_id"]).size().unstack("segment_id", fill_value=0)
    records = []
    for axis, table in counts.groupby(level="axis", sort=True):
        table = table.droplevel("axis")
        for store, other in itertools.combinations(sorted(table.index), 2):
            pair = table.loc[[store, other]].to_numpy()
            chi2, dof, p_value, cramers_v = store_pair_test(pair)
            records.append({"axis": axis, "store_id": store, "other_store_id": other,
                            "customers": int(pair[0].sum()), "other_customers": int(pair[1].sum()),
                            "segments": int((pair.sum(axis=0) > 0).sum()), "chi_square": chi2,
                            "degrees_of_freedom": dof, "p_value": p_value, "cramers_v": cramers_v})
    result = pd.DataFrame.from_records(records, columns=STORE_TEST_COLUMNS[:10])
    result["tests"] = len(result)
    result["alpha"] = alpha
    result["is_significant"] = result["p_value"] < alpha / max(len(result), 1)
    # typed also when empty (one shop), so every engine stores the same columns
    return result[STORE_TEST_COLUMNS].astype(_DTYPES)
