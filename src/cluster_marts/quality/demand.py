"""Great Expectations suites on the demand marts.

``dfu_cluster_assignments`` (one row per clustered DFU) and ``dim_dfu`` (the
DFU master with ``cluster_assignment`` filled, ``months_of_history`` and
``quarantine_reason``). Keys, types, not-null, accepted labels and the
DFU relationships are dbt tests; these suites own the distributions:

* how many DFUs were clustered, their mean silhouette;
* as many distinct ``cluster_id`` as the fitted k (read from the data);
* no label swallows the portfolio (share of the most common ``cluster_label``
  at most ``max_label_share``) and at least ``min_distinct_labels`` labels;
* ``dim_dfu``: at least ``min_assigned_share`` of the DFUs carry a cluster
  (``ExpectColumnValuesToNotBeNull`` with ``mostly`` as a ``$PARAMETER``),
  plausible ``months_of_history``, and no fewer rows than clustered DFUs.

The share of the most common label is checked as "the rows *not* carrying the
most common label are at least ``1 - max_label_share``":
``ExpectColumnValuesToNotBeInSet(value_set=[top label], mostly=...)``, both
parameters computed at run time.

``dim_dfu`` is not compared with the raw ``dim_dfu`` row count: the raw file is
a dbt source read in place, not a warehouse table, so the checkpoint does not
see it (``stg_dfus`` and the dbt tests own that count).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cluster_marts.quality._params import p as _p

TABLES = ("dfu_cluster_assignments", "dim_dfu")


def build_expectations() -> dict[str, list[Any]]:
    """Return ``{table: [expectation, ...]}``; thresholds are ``$PARAMETER`` references."""
    import great_expectations.expectations as gxe

    n_unique = gxe.ExpectColumnUniqueValueCountToBeBetween
    return {
        "dfu_cluster_assignments": [
            gxe.ExpectTableRowCountToBeBetween(min_value=_p("min_dfus"), max_value=_p("max_dfus")),
            gxe.ExpectColumnMeanToBeBetween(column="silhouette", min_value=_p("min_mean_silhouette_dfu")),
            n_unique(column="cluster_id", min_value=_p("dfu_k"), max_value=_p("dfu_k")),
            gxe.ExpectColumnValuesToNotBeInSet(column="cluster_label", value_set=_p("top_cluster_label"),
                                               mostly=_p("min_other_label_share")),
            n_unique(column="cluster_label", min_value=_p("min_distinct_labels")),
        ],
        "dim_dfu": [
            gxe.ExpectColumnValuesToNotBeNull(column="cluster_assignment",
                                              mostly=_p("min_assigned_share")),
            gxe.ExpectColumnValuesToBeBetween(column="months_of_history",
                                              min_value=_p("min_months_of_history"),
                                              max_value=_p("max_months_of_history")),
            gxe.ExpectTableRowCountToBeBetween(min_value=_p("n_clustered_dfus")),
        ],
    }


def runtime_parameters(frames: dict[str, pd.DataFrame], thresholds: dict[str, Any]) -> dict[str, Any]:
    """Thresholds plus parameters derived from the data.

    ``dfu_k``: the one value of ``k`` (-1 when the column holds several, which
    fails the cluster count on purpose); ``top_cluster_label``: the most common
    label (ties: the first in sort order); ``min_other_label_share``:
    ``1 - max_label_share``; ``n_clustered_dfus``: rows of
    ``dfu_cluster_assignments``. Raises ``KeyError`` naming a missing threshold.
    """
    assignments = frames["dfu_cluster_assignments"]
    ks = assignments["k"].dropna().unique()
    counts = assignments["cluster_label"].value_counts()
    top = sorted(counts.index[counts == counts.max()])[:1] or ["<no label>"]
    return {**thresholds, "dfu_k": int(ks[0]) if len(ks) == 1 else -1,
            "top_cluster_label": [str(top[0])], "n_clustered_dfus": len(assignments),
            "min_other_label_share": round(1.0 - float(thresholds["max_label_share"]), 12)}
