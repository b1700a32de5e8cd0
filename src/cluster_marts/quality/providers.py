"""Great Expectations suites on the provider marts.

Thresholds are ``$PARAMETER`` references to ``tests/great_expectations/thresholds.yml``;
:func:`runtime_parameters` adds the ones computed from the data (the chosen k,
the number of providers and regions), which turns them into cross-table
consistency checks.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cluster_marts.quality._params import p as _p

TABLES = ("provider_clusters", "provider_k_selection", "provider_cluster_summary", "regional_comparison")


def build_expectations() -> dict[str, list[Any]]:
    """Return ``{table: [expectation, ...]}``; thresholds are ``$PARAMETER`` references."""
    import great_expectations.expectations as gxe

    between = gxe.ExpectColumnValuesToBeBetween
    n_unique = gxe.ExpectColumnUniqueValueCountToBeBetween
    return {
        "provider_clusters": [
            gxe.ExpectTableRowCountToBeBetween(min_value=_p("min_providers"), max_value=_p("max_providers")),
            gxe.ExpectColumnMeanToBeBetween(column="silhouette", min_value=_p("min_mean_silhouette")),
            between(column="avg_intelligence", min_value=_p("min_intelligence"), max_value=_p("max_intelligence")),
            between(column="avg_price", min_value=_p("min_price"), max_value=_p("max_price")),
            between(column="avg_speed", min_value=_p("min_speed"), max_value=_p("max_speed")),
            between(column="k", min_value=_p("chosen_k"), max_value=_p("chosen_k")),
            between(column="cluster_id", min_value=0, max_value=_p("max_cluster_id")),
            n_unique(column="cluster_id", min_value=_p("chosen_k"), max_value=_p("chosen_k")),
            n_unique(column="run_id", min_value=1, max_value=1),
        ],
        "provider_k_selection": [
            between(column="k", min_value=_p("min_k"), max_value=_p("max_k")),
            gxe.ExpectColumnSumToBeBetween(column="is_knee", min_value=0, max_value=1),
            between(column="calinski_harabasz", min_value=0),
            between(column="davies_bouldin", min_value=0),
            n_unique(column="run_id", min_value=1, max_value=1),
        ],
        "provider_cluster_summary": [
            gxe.ExpectTableRowCountToBeBetween(min_value=_p("chosen_k"), max_value=_p("chosen_k")),
            gxe.ExpectColumnMinToBeBetween(column="provider_share", min_value=_p("min_cluster_share")),
            gxe.ExpectColumnSumToBeBetween(column="provider_share", min_value=0.999, max_value=1.001),
            gxe.ExpectColumnSumToBeBetween(column="provider_count", min_value=_p("n_providers"),
                                           max_value=_p("n_providers")),
            between(column="mean_silhouette", min_value=-1, max_value=1),
        ],
        "regional_comparison": [
            gxe.ExpectTableRowCountToEqual(value=_p("expected_regional_rows")),
            n_unique(column="region", min_value=_p("n_regions"), max_value=_p("n_regions")),
            between(column="n_regions", min_value=_p("min_regions"), max_value=_p("max_regions")),
            between(column="epsilon_squared", min_value=0, max_value=1),
            between(column="kruskal_h", min_value=0),
            between(column="std_value", min_value=0),
            between(column="model_count", min_value=1),
        ],
    }


def runtime_parameters(frames: dict[str, pd.DataFrame], thresholds: dict[str, Any]) -> dict[str, Any]:
    """Thresholds plus parameters derived from the data (chosen k, counts)."""
    ks = frames["provider_k_selection"]
    chosen = ks.loc[ks["is_chosen"].fillna(False).astype(bool), "k"]
    chosen_k = int(chosen.iloc[0]) if len(chosen) == 1 else -1  # -1 fails the k checks on purpose
    regional = frames["regional_comparison"]
    n_regions = int(regional["n_regions"].max())
    return {**thresholds, "chosen_k": chosen_k, "max_cluster_id": chosen_k - 1,
            "n_providers": len(frames["provider_clusters"]), "n_regions": n_regions,
            "expected_regional_rows": len(thresholds["metrics"]) * n_regions}
