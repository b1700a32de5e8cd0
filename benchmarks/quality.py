"""Quality of a bench run against the demo's planted truth (``demo_truth_*.parquet``).

:func:`ari` is the one comparison (adjusted Rand index of found labels against
planted labels, joined on the id); :func:`warehouse_quality` applies it to the
marts of the bench DuckDB: the customer segment paths of the main axis
(``engagement``) of every default method (:data:`DEFAULT_METHODS`: ``customers_ari`` for fcm,
``customers_ari_gmm`` for gmm) against the planted personas, the DFU clusters
against the planted archetypes (plus the label accuracy: pattern, and volume
tier where planted, as the integration suite measures it) and the provider
clusters against the planted tiers. The baselines call :func:`ari` on their own
labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.metrics import adjusted_rand_score

MAIN_AXIS, MAIN_METHOD = "engagement", "fcm"
DEFAULT_METHODS = ("fcm", "gmm")


def persona_key(method: str) -> str:
    """The measurement key of the persona ARI of ``method`` (``customers_ari`` for the main method)."""
    return "customers_ari" if method == MAIN_METHOD else f"customers_ari_{method}"


def ari(truth: pd.Series, found: pd.Series) -> float | None:
    """ARI of ``found`` against ``truth``, both indexed by id, on the ids they share (None if none)."""
    common = truth.index.intersection(found.index)
    if common.empty:
        return None
    return round(float(adjusted_rand_score(truth.loc[common].astype(str), found.loc[common].astype(str))), 4)


def read_truth(raw_dir: Path, domain: str, key: str, column: str) -> pd.Series | None:
    """``column`` of ``demo_truth_<domain>.parquet`` in ``raw_dir`` indexed by ``key`` (None when absent)."""
    path = Path(raw_dir) / f"demo_truth_{domain}.parquet"
    if not path.exists():
        return None
    return pd.read_parquet(path, columns=[key, column]).set_index(key)[column]


def _series(frame: pd.DataFrame, key: str, column: str) -> pd.Series:
    return frame.set_index(key)[column]


def warehouse_quality(database: Path, raw_dir: Path) -> dict[str, Any]:
    """ARI (and DFU label accuracy) of the marts in ``database`` against the truth files in ``raw_dir``."""
    import duckdb

    out: dict[str, Any] = {}
    with duckdb.connect(str(database), read_only=True) as con:
        def query(sql: str) -> pd.DataFrame:
            return con.sql(sql).to_arrow_table().to_pandas()

        personas = read_truth(raw_dir, "customers", "customer_id", "persona")
        if personas is not None:
            for method in DEFAULT_METHODS:
                paths = query(f"select customer_id, segment_path from customer_segments "
                              f"where axis = '{MAIN_AXIS}' and method = '{method}'")
                if not paths.empty:
                    out[persona_key(method)] = ari(personas, _series(paths, "customer_id", "segment_path"))
        dfu_path = Path(raw_dir) / "demo_truth_dfu.parquet"
        if dfu_path.exists():
            truth = pd.read_parquet(dfu_path).set_index("dfu_id")
            labelled = query("select a.dfu_id, a.cluster_id, l.pattern, l.volume_tier from dfu_cluster_assignments a "
                             "join dfu_cluster_labels l using (cluster_id)").set_index("dfu_id")
            joined = labelled.join(truth, how="inner")
            tier_ok = joined["expected_volume_tier"].isna() | (joined["volume_tier"] == joined["expected_volume_tier"])
            out["demand_label_accuracy"] = round(float(((joined["pattern"] == joined["expected_pattern"])
                                                        & tier_ok).mean()), 4)
            out["demand_ari"] = ari(truth["archetype"], labelled["cluster_id"])
        tiers = read_truth(raw_dir, "providers", "provider_id", "tier")
        if tiers is not None:
            clusters = query("select provider_id, cluster_id from provider_clusters")
            out["provider_ari"] = ari(tiers, _series(clusters, "provider_id", "cluster_id"))
    return out
