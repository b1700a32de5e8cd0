"""Plain pandas + scikit-learn demand baseline for ``cluster-marts bench``.

The same DFU job as the dbt build (``int_dfu_demand_window``,
``int_dfu_series_features`` and the Python models of ``python_models/demand``),
written the way a plain pandas script would: read the monthly sales, drop
negative/null rows and duplicates (highest demand kept per DFU and month),
reindex every DFU onto its monthly grid over the last 24 months, compute the
features with ``groupby().apply``, quarantine DFUs with fewer than 12 months,
standardise, then for k = 3..12 fit k-means with the full (unsampled)
silhouette and the textbook gap statistic (B uniform reference sets over the
bounding box), pick k by silhouette and refit. Run it as its own process so its
peak memory can be measured::

    python -m benchmarks.demand_baseline data/raw/fact_sales_monthly.parquet [--sample 10000]

With ``--sample n`` (the bench passes it at the warehouse scales) the k
selection (silhouettes and gap statistic) runs on a seeded sample of n DFUs and
only the final fit on all of them, as a plain script at that size would.
It prints one JSON object on stdout: the seconds of each stage, the total, the
chosen k, the row counts and, when ``demo_truth_dfu.parquet`` lies beside the
sales, the ARI of the final clusters against the planted archetypes (computed
after the timed stages).
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
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from benchmarks.baseline import timed
from benchmarks.quality import ari, read_truth

#: The clustering features of dfu_features (``_demand__models.yml``).
FEATURES: list[str] = ["log_mean_demand", "cv_demand", "seasonality_strength", "zero_demand_pct",
                       "trend_slope_normalized", "recent_vs_historical", "sparsity_score"]
TIME_WINDOW = 24
MIN_MONTHS = 12
RECENT_MONTHS = 3
LAG = 12
K_RANGE = range(3, 13)
GAP_REFERENCES = 10
RANDOM_STATE = 42


def clean(raw: pd.DataFrame) -> pd.DataFrame:
    """Typed rows without null/negative values, one row per DFU and month (highest demand)."""
    sales = pd.DataFrame({
        "dfu_id": raw["dfu_id"].astype("string").str.strip(),
        "month": pd.to_datetime(raw["month"], errors="coerce").dt.to_period("M").dt.to_timestamp(),
        "demand": pd.to_numeric(raw["demand"], errors="coerce"),
    })
    sales = sales.dropna()
    sales = sales[(sales["demand"] >= 0) & (sales["dfu_id"] != "")]
    sales = sales.sort_values("demand", ascending=False).drop_duplicates(["dfu_id", "month"])
    return sales.reset_index(drop=True)


def monthly_grid(sales: pd.DataFrame) -> pd.DataFrame:
    """Each DFU's months from its first sale (or window start) to the latest month, zero-filled."""
    as_of = sales["month"].max()
    window_start = as_of - pd.DateOffset(months=TIME_WINDOW - 1)

    def fill(group: pd.DataFrame) -> pd.DataFrame:
        start = max(group["month"].min(), window_start)
        months = pd.date_range(start, as_of, freq="MS")
        demand = group.set_index("month")["demand"].reindex(months, fill_value=0.0)
        return pd.DataFrame({"month": months, "demand": demand.to_numpy()})

    grid = sales.groupby("dfu_id")[["month", "demand"]].apply(fill)
    return grid.reset_index(level=0).reset_index(drop=True)


def quarantine(grid: pd.DataFrame) -> tuple[pd.DataFrame, pd.Index]:
    """Split off DFUs with fewer than :data:`MIN_MONTHS` months: (kept grid, quarantined ids)."""
    months = grid.groupby("dfu_id")["month"].count()
    short = months.index[months < MIN_MONTHS]
    return grid[~grid["dfu_id"].isin(short)], short


def longest_zero_run(demand: np.ndarray) -> int:
    """Length of the longest run of consecutive zero months."""
    longest = current = 0
    for value in demand:
        current = current + 1 if value == 0 else 0
        longest = max(longest, current)
    return longest


def series_features(group: pd.DataFrame) -> pd.Series:
    """The clustering features of one DFU's month-ordered series (neutral values on a zero mean)."""
    demand = group.sort_values("month")["demand"].to_numpy(dtype=float)
    n = len(demand)
    t = np.arange(n, dtype=float)
    mean, std = demand.mean(), demand.std()
    slope, intercept = np.polyfit(t, demand, 1)
    residual = demand - (intercept + slope * t)
    seasonality = 0.0
    if n - LAG >= 2 and residual.std() > 1e-9 * (abs(mean) + 1):
        now, before = residual[LAG:], residual[:-LAG]
        if now.std() > 0 and before.std() > 0:
            seasonality = max(float(np.corrcoef(now, before)[0, 1]), 0.0)
    return pd.Series({
        "log_mean_demand": np.log1p(mean),
        "cv_demand": std / mean if mean else 0.0,
        "seasonality_strength": seasonality,
        "zero_demand_pct": float((demand == 0).mean()),
        "trend_slope_normalized": slope / mean if mean else 0.0,
        "recent_vs_historical": demand[-RECENT_MONTHS:].mean() / mean if mean else 1.0,
        "sparsity_score": longest_zero_run(demand) / n,
    })


def features(grid: pd.DataFrame) -> pd.DataFrame:
    """One row of :data:`FEATURES` per DFU, by ``groupby().apply``."""
    return grid.groupby("dfu_id")[["month", "demand"]].apply(series_features)[FEATURES]


def gap_statistic(k: int, inertia: float, references: list[np.ndarray]) -> tuple[float, float]:
    """Gap and s_k of one k: E*[log W_k] over the references minus log W_k."""
    log_w = np.array([np.log(KMeans(k, n_init=10, random_state=RANDOM_STATE).fit(ref).inertia_)
                      for ref in references])
    return float(log_w.mean() - np.log(inertia)), float(log_w.std() * np.sqrt(1 + 1 / len(log_w)))


def select_k(scaled: np.ndarray) -> tuple[int, dict[int, float], dict[int, list[float]]]:
    """Best k in :data:`K_RANGE` by the full silhouette, every k's silhouette and [gap, s_k]."""
    rng = np.random.default_rng(RANDOM_STATE)
    low, high = scaled.min(axis=0), scaled.max(axis=0)
    references = [rng.uniform(low, high, size=scaled.shape) for _ in range(GAP_REFERENCES)]
    silhouettes, gaps = {}, {}
    for k in K_RANGE:
        km = KMeans(k, n_init=10, random_state=RANDOM_STATE).fit(scaled)
        silhouettes[k] = float(silhouette_score(scaled, km.labels_))
        gaps[k] = [round(v, 6) for v in gap_statistic(k, km.inertia_, references)]
    return max(silhouettes, key=silhouettes.get), silhouettes, gaps


def sample_rows(X: np.ndarray, sample: int | None) -> np.ndarray:
    """A seeded sample of ``sample`` rows of ``X`` (all rows when None or not smaller)."""
    if sample is None or sample >= len(X):
        return X
    return X[np.sort(np.random.default_rng(RANDOM_STATE).choice(len(X), sample, replace=False))]


def run(parquet: str, sample: int | None = None) -> dict[str, Any]:
    """Run the demand baseline on ``parquet`` (k selection on ``sample`` DFUs if given); timings and results."""
    stages: dict[str, float] = {}
    raw = timed(stages, "read", pd.read_parquet, parquet)
    sales = timed(stages, "clean", clean, raw)
    grid = timed(stages, "monthly_grid", monthly_grid, sales)
    kept, short = timed(stages, "quarantine", quarantine, grid)
    table = timed(stages, "features", features, kept)
    scaled = timed(stages, "scale", StandardScaler().fit_transform, table.to_numpy())
    best_k, silhouettes, gaps = timed(stages, "k_selection", select_k, sample_rows(scaled, sample))
    final = KMeans(best_k, n_init=10, random_state=RANDOM_STATE)
    labels = timed(stages, "final_fit", final.fit_predict, scaled)
    archetypes = read_truth(Path(parquet).parent, "dfu", "dfu_id", "archetype")
    return {
        "stages": stages,
        "total_seconds": round(sum(stages.values()), 4),
        "n_rows": int(len(raw)),
        "n_clean_rows": int(len(sales)),
        "n_dfus": int(grid["dfu_id"].nunique()),
        "n_quarantined": int(len(short)),
        "n_clustered": int(len(table)),
        "chosen_k": int(best_k),
        "silhouette": silhouettes,
        "gap": gaps,
        "k_selection_rows": int(min(len(scaled), sample or len(scaled))),
        "ari": None if archetypes is None else ari(archetypes, pd.Series(labels, index=table.index)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print :func:`run`'s result as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.demand_baseline")
    parser.add_argument("parquet", help="raw monthly sales (Parquet)")
    parser.add_argument("--sample", type=int, default=None, help="DFUs of the k selection (default: all)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.parquet, args.sample)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
