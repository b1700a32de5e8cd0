"""Great Expectations suites on the customer segmentation marts.

``customer_memberships`` (one row per customer, axis, method and top-level
segment) and ``customer_segment_profiles`` (one row per axis, method, segment
and feature). Keys, types, not-null, accepted methods, "each customer's
memberships on an axis and method sum to 1" and "q25 <= median <= q75" are dbt
tests; these suites own the distributions:

* ``customer_memberships``: row count and number of segmented customers within
  bounds; memberships in [0, 1]; **dominant strength**: the share of
  (customer, axis, method) whose dominant membership is at least 0.5 is at
  least ``min_dominant_membership_share``.
* ``customer_segment_profiles``: ``percentage`` in [0, 100], ``size`` >= 1,
  ``std`` >= 0 (nulls, e.g. one-customer segments, are skipped by GX), and the
  top-level percentages of every (axis, method, feature) add up to 100.

Both aggregate checks are built-in expectations with parameters computed at
run time (:func:`runtime_parameters`):

* Dominant strength. A (customer, axis, method) has at most one membership
  above 0.5 (they sum to 1), so with ``R`` membership rows, ``G`` groups and
  ``S`` rows >= 0.5, "S / G >= t" is "the share of rows in [0.5, 1] is at
  least t * G / R": ``ExpectColumnValuesToBeBetween(membership, 0.5, 1,
  mostly=min_strong_membership_row_share)``.
* Percentages. The top-level rows (``row_condition``) of ``n`` (axis, method,
  feature) groups must sum to ``100 n`` within ``percentage_sum_tolerance``
  points per group: ``ExpectColumnSumToBeBetween``. Being one sum it could miss
  errors that cancel between groups; dbt owns the per-group equality.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cluster_marts.quality._params import p as _p

TABLES = ("customer_memberships", "customer_segment_profiles")
GROUP = ("customer_id", "axis", "method")
PROFILE_GROUP = ("axis", "method", "feature")
TOP_LEVEL = "is_top_level == True"


def build_expectations() -> dict[str, list[Any]]:
    """Return ``{table: [expectation, ...]}``; thresholds are ``$PARAMETER`` references."""
    import great_expectations.expectations as gxe

    between = gxe.ExpectColumnValuesToBeBetween
    return {
        "customer_memberships": [
            gxe.ExpectTableRowCountToBeBetween(min_value=_p("min_customer_membership_rows"),
                                               max_value=_p("max_customer_membership_rows")),
            gxe.ExpectColumnUniqueValueCountToBeBetween(column="customer_id",
                                                        min_value=_p("min_segmented_customers"),
                                                        max_value=_p("max_segmented_customers")),
            between(column="membership", min_value=0, max_value=1),
            between(column="membership", min_value=0.5, max_value=1,
                    mostly=_p("min_strong_membership_row_share")),
        ],
        "customer_segment_profiles": [
            between(column="percentage", min_value=0, max_value=100),
            between(column="size", min_value=1),
            between(column="std", min_value=0),
            gxe.ExpectColumnSumToBeBetween(column="percentage", row_condition=TOP_LEVEL,
                                           condition_parser="pandas",
                                           min_value=_p("min_top_level_percentage_sum"),
                                           max_value=_p("max_top_level_percentage_sum")),
        ],
    }


def runtime_parameters(frames: dict[str, pd.DataFrame], thresholds: dict[str, Any]) -> dict[str, Any]:
    """Thresholds plus parameters derived from the data.

    ``min_strong_membership_row_share``: ``min_dominant_membership_share`` times
    the number of (customer, axis, method) over the membership rows;
    ``min/max_top_level_percentage_sum``: ``100 n -/+ percentage_sum_tolerance n``
    for the ``n`` (axis, method, feature) groups of the top-level profile rows.
    Raises ``KeyError`` naming a missing threshold.
    """
    memberships = frames["customer_memberships"]
    n_groups = len(memberships.drop_duplicates(list(GROUP)))
    strong_share = float(thresholds["min_dominant_membership_share"]) * n_groups / max(len(memberships), 1)
    profiles = frames["customer_segment_profiles"]
    top = profiles[profiles["is_top_level"].fillna(False).astype(bool)]
    n_profile_groups = len(top.drop_duplicates(list(PROFILE_GROUP)))
    tolerance = float(thresholds["percentage_sum_tolerance"]) * n_profile_groups
    return {**thresholds,
            "min_strong_membership_row_share": round(min(strong_share, 1.0), 12),
            "min_top_level_percentage_sum": 100.0 * n_profile_groups - tolerance,
            "max_top_level_percentage_sum": 100.0 * n_profile_groups + tolerance}
