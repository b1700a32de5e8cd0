"""Plain pandas + scikit-learn customer baseline for ``cluster-marts bench``.

The core of the customers domain (``stg_customer_orders``, ``customer_features`` and the
k-selection of ``python_models/customers``), written the way a plain pandas
script would: read the orders, drop unusable rows (missing ids, unparseable
timestamps, null/negative amounts, item counts below 1) and repeated order ids
(first by timestamp kept), compute each customer's features with ``groupby``
(frequency, monetary, recency, tenure, orders per month, return rate, timing and
category shares, ...), then for every axis of
``python_models/customers/_customers__models.yml`` standardise and sweep
k-means over k = 2..10 with the silhouette on a seeded sample of
:data:`SILHOUETTE_SAMPLE` rows, keeping the fit of the best silhouette
(:func:`kmeans_sweep`). It does less than the dbt build (one method, no
subdivision, snapshots or drift). Run it as its own process so its peak memory
can be measured::

    python -m benchmarks.customers_baseline data/raw/customer_orders.parquet

It prints one JSON object on stdout: the seconds of each stage, the total, the
chosen k per axis, the row counts and, when ``demo_truth_customers.parquet``
lies beside the orders, the ARI of the main axis against the planted personas
(computed after the timed stages).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from benchmarks.baseline import timed
from benchmarks.quality import ari, read_truth
from cluster_marts.config.segmentation import expand_axis

#: The segmentation settings (axes, fcm, balance weights) shared by the Python models.
MODELS_YML = Path(__file__).resolve().parents[1] / "python_models/customers/_customers__models.yml"
CATEGORIES = ["fabric", "notions", "patterns", "tools", "kits", "books"]
#: The plain k sweep of the issue's baseline: k = 2..10, silhouette on a seeded 10 000-row sample.
K_MIN, K_MAX, RANDOM_STATE = 2, 10, 42
SILHOUETTE_SAMPLE = 10_000
MAIN_AXIS = "engagement"


def settings(path: Path = MODELS_YML) -> dict[str, Any]:
    """The shared ``config.meta`` of the customer models (Jinja strings left unrendered)."""
    models = yaml.safe_load(path.read_text())["models"]
    return next(m["config"]["meta"] for m in models if m["config"]["meta"].get("axes"))


def clean(raw: pd.DataFrame) -> pd.DataFrame:
    """Typed usable orders, one row per order id (the first by timestamp)."""
    def text(column: str) -> pd.Series:
        return raw[column].astype("string").str.strip().replace("", pd.NA)

    orders = pd.DataFrame({
        "order_id": text("order_id"),
        "customer_id": text("customer_id"),
        "product_category": text("product_category").str.lower(),
        "amount": pd.to_numeric(raw["amount"], errors="coerce"),
        "item_count": pd.to_numeric(raw["item_count"], errors="coerce"),
        "is_returned": raw["is_returned"].astype("boolean").fillna(False).astype(bool),
        "ordered_at": pd.to_datetime(raw["ordered_at"], errors="coerce"),
    })
    orders = orders.dropna(subset=["order_id", "customer_id", "ordered_at", "amount", "item_count"])
    orders = orders[(orders["amount"] >= 0) & (orders["item_count"] >= 1)]
    orders = orders.sort_values(["ordered_at", "order_id"]).drop_duplicates("order_id")
    return orders.reset_index(drop=True)


def features(orders: pd.DataFrame) -> pd.DataFrame:
    """One row of behavioural features per customer, as of the day after the last order."""
    as_of = orders["ordered_at"].max().normalize() + pd.Timedelta(days=1)
    o = orders.sort_values(["customer_id", "ordered_at", "order_id"]).copy()
    o["age_days"] = (as_of - o["ordered_at"]).dt.total_seconds() / 86400
    o["gap_days"] = o.groupby("customer_id")["ordered_at"].diff().dt.total_seconds() / 86400
    o["recent"] = o["age_days"] <= 90
    o["recent_amount"] = o["amount"].where(o["recent"], 0.0)
    hour, weekday = o["ordered_at"].dt.hour, o["ordered_at"].dt.day_of_week
    o["returned"] = o["is_returned"].astype(float)
    o["weekend"] = (weekday >= 5).astype(float)
    o["evening"] = (hour >= 18).astype(float)
    o["business_hours"] = ((weekday < 5) & hour.between(9, 16)).astype(float)
    for category in CATEGORIES:
        o[f"share_{category}"] = (o["product_category"] == category).astype(float)
    shares = [f"share_{c}" for c in CATEGORIES]
    f = o.groupby("customer_id").agg(
        frequency=("order_id", "count"), monetary=("amount", "sum"),
        avg_order_value=("amount", "mean"), items_per_order=("item_count", "mean"),
        recency_days=("age_days", "min"), tenure_days=("age_days", "max"),
        orders_last_90_days=("recent", "sum"), monetary_last_90_days=("recent_amount", "sum"),
        avg_interpurchase_days=("gap_days", "mean"), return_rate=("returned", "mean"),
        weekend_share=("weekend", "mean"), evening_share=("evening", "mean"),
        business_hours_share=("business_hours", "mean"),
        **{s: (s, "mean") for s in shares})
    f["orders_per_month"] = f["frequency"] / np.maximum(f["tenure_days"] / 30.44, 1.0)
    f["interpurchase_days_filled"] = f["avg_interpurchase_days"].fillna(f["tenure_days"])
    f["log_frequency"] = np.log(f["frequency"])
    for column in ("monetary", "avg_order_value", "orders_last_90_days", "recency_days"):
        f[f"log_{column}"] = np.log1p(f[column])
    return f


def kmeans_sweep(X: np.ndarray) -> tuple[int, np.ndarray, dict[int, float]]:
    """k-means (scikit-learn defaults, seeded) for k = K_MIN..K_MAX on the rows of ``X``.

    Returns the k of the best silhouette (seeded sample of :data:`SILHOUETTE_SAMPLE` rows),
    the labels of that fit and every k's silhouette.
    """
    scores, labels = {}, {}
    for k in range(K_MIN, K_MAX + 1):
        labels[k] = KMeans(k, random_state=RANDOM_STATE).fit_predict(X)
        scores[k] = round(float(silhouette_score(X, labels[k], sample_size=min(SILHOUETTE_SAMPLE, len(X)),
                                                 random_state=RANDOM_STATE)), 6)
    best = max(scores, key=scores.__getitem__)
    return best, labels[best], scores


def segment(table: pd.DataFrame, meta: dict[str, Any], stages: dict[str, float]) -> dict[str, Any]:
    """Per axis (patterns such as ``share_*`` expanded as the engine does): scale, sweep k (seconds summed over axes
    into ``stages``); chosen k, sizes and labels."""
    out = {}
    for axis, entries in meta["axes"].items():
        columns = list(expand_axis(axis, entries, list(table.columns), model="customers_baseline"))
        step: dict[str, float] = {}
        X = timed(step, "scale", StandardScaler().fit_transform, table[columns].to_numpy(dtype=float))
        best_k, labels, grid = timed(step, "k_sweep", kmeans_sweep, X)
        for name, seconds in step.items():
            stages[name] = round(stages.get(name, 0.0) + seconds, 4)
        out[axis] = {"chosen_k": best_k, "sizes": np.bincount(labels, minlength=best_k).tolist(),
                     "silhouette": grid, "labels": labels}
    return out


def main_axis_ari(ids: pd.Index, labels: np.ndarray, raw_dir: Path) -> float | None:
    """ARI of ``labels`` (one per customer of ``ids``) against the planted personas, when the truth is there."""
    personas = read_truth(raw_dir, "customers", "customer_id", "persona")
    return None if personas is None else ari(personas, pd.Series(labels, index=ids))


def run(parquet: str) -> dict[str, Any]:
    """Run the customer baseline on ``parquet`` and return its timings and results."""
    stages: dict[str, float] = {}
    meta = timed(stages, "settings", settings)
    raw = timed(stages, "read", pd.read_parquet, parquet)
    orders = timed(stages, "clean", clean, raw)
    table = timed(stages, "features", features, orders)
    axes = segment(table, meta, stages)
    return {
        "stages": stages,
        "total_seconds": round(sum(stages.values()), 4),
        "n_rows": int(len(raw)),
        "n_clean_rows": int(len(orders)),
        "n_customers": int(len(table)),
        "chosen_k": {axis: r["chosen_k"] for axis, r in axes.items()},
        "axes": {axis: {k: v for k, v in r.items() if k != "labels"} for axis, r in axes.items()},
        "main_axis": MAIN_AXIS,
        "ari": main_axis_ari(table.index, axes[MAIN_AXIS]["labels"], Path(parquet).parent),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print :func:`run`'s result as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.customers_baseline")
    parser.add_argument("parquet", help="raw customer orders (Parquet)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.parquet)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
