"""Plain pandas + scikit-learn customer baseline for ``cluster-marts bench``.

The core of the customers domain (``stg_customer_orders``, ``customer_features`` and the
k-selection of ``python_models/customers``), written the way a plain pandas
script would: read the orders, drop unusable rows (missing ids, unparseable
timestamps, null/negative amounts, item counts below 1) and repeated order ids
(first by timestamp kept), compute each customer's features with ``groupby``
(frequency, monetary, recency, tenure, orders per month, return rate, timing and
category shares, the behaviour axes' gaps, momentum, basket, spread, breadth and
months, ...), then for every axis of
``python_models/customers/_customers__models.yml`` standardise and sweep
k-means over k = 2..10 (an axis with a population on its customers only, read with
``DataFrame.query``) with the silhouette on a seeded sample of
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
    return behaviour(o, f, shares)


def behaviour(o: pd.DataFrame, f: pd.DataFrame, shares: list[str]) -> pd.DataFrame:
    """The behaviour axes' features (regularity, momentum, basket, spend volatility, category breadth,
    seasonality) added to ``f``, from the orders ``o`` of :func:`features`."""
    prior = (o["age_days"] > 90) & (o["age_days"] <= 180)
    month = o["ordered_at"].dt.month
    o = o.assign(prior=prior, prior_amount=o["amount"].where(prior, 0.0), holiday=month.isin([11, 12]).astype(float),
                 month=month)
    g = o.groupby("customer_id")
    b = g.agg(gap_std=("gap_days", "std"), gap_max=("gap_days", "max"), orders_prior_90_days=("prior", "sum"),
              monetary_prior_90_days=("prior_amount", "sum"), total_items=("item_count", "sum"),
              amount_std=("amount", "std"), amount_max=("amount", "max"),
              n_categories=("product_category", "nunique"), holiday_share=("holiday", "mean"))
    months = pd.crosstab(o["customer_id"], o["month"], normalize="index")
    f = f.join(b)
    f["gap_cv"] = (f["gap_std"] / f["avg_interpurchase_days"]).where(f["frequency"] >= 3)
    f["max_gap_ratio"] = f["gap_max"] / f["avg_interpurchase_days"]
    f["order_momentum"] = np.log((1 + f["orders_last_90_days"]) / (1 + f["orders_prior_90_days"]))
    f["spend_momentum"] = np.log((1 + f["monetary_last_90_days"]) / (1 + f["monetary_prior_90_days"]))
    f["log_price_per_item"] = np.log1p(f["monetary"] / np.maximum(f["total_items"], 1))
    f["amount_cv"] = (f["amount_std"] / f["avg_order_value"]).where(f["frequency"] >= 2)
    f["largest_order_ratio"] = (f["amount_max"] / f["avg_order_value"]).where(f["frequency"] >= 2)
    p = f[shares].assign(share_other=1 - f[shares].sum(axis=1)).clip(lower=0)
    f["top_category_share"] = p.max(axis=1)
    f["category_entropy"] = -(p * np.log(p.where(p > 0, 1))).sum(axis=1)
    f["month_concentration"] = (months ** 2).sum(axis=1)
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
        population = entries.get("population") if isinstance(entries, dict) else None
        entries = entries["features"] if isinstance(entries, dict) else entries
        columns = list(expand_axis(axis, entries, list(table.columns), model="customers_baseline"))
        rows = table.query(population) if population else table   # the populations are simple conditions
        step: dict[str, float] = {}
        X = timed(step, "scale", StandardScaler().fit_transform, rows[columns].to_numpy(dtype=float))
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
