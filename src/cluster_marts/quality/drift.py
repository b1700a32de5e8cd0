"""Great Expectations suite on the customer drift mart.

``customer_drift`` (one row per customer, axis, snapshot type and snapshot from
the second on). Keys, the [0, 1] range of ``drift_score`` and the not-null
severity are dbt tests; this suite owns the distribution:

* row count within bounds (catches a snapshot history that stopped growing or
  fanned out);
* most month-over-month changes are calm: at least ``min_calm_drift_share`` of
  the rows are STABLE or MINOR (a demo or a real shop where most customers
  jump segments every month points at a broken reference model or scaler);
* the mean drift score stays below ``max_mean_drift_score``;
* ``drift_velocity`` (drift per day) is between 0 and 1.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cluster_marts.quality._params import p as _p

TABLES = ("customer_drift",)
CALM_SEVERITIES = ["STABLE", "MINOR"]


def build_expectations() -> dict[str, list[Any]]:
    """Return ``{table: [expectation, ...]}``; thresholds are ``$PARAMETER`` references."""
    import great_expectations.expectations as gxe

    return {
        "customer_drift": [
            gxe.ExpectTableRowCountToBeBetween(min_value=_p("min_drift_rows"), max_value=_p("max_drift_rows")),
            gxe.ExpectColumnValuesToBeInSet(column="severity", value_set=CALM_SEVERITIES,
                                            mostly=_p("min_calm_drift_share")),
            gxe.ExpectColumnMeanToBeBetween(column="drift_score", max_value=_p("max_mean_drift_score")),
            gxe.ExpectColumnValuesToBeBetween(column="drift_velocity", min_value=0, max_value=1),
        ],
    }


def runtime_parameters(frames: dict[str, pd.DataFrame], thresholds: dict[str, Any]) -> dict[str, Any]:
    """The thresholds as they are (nothing is derived from the data)."""
    return dict(thresholds)
