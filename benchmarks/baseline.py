"""Plain pandas + scikit-learn baseline for ``cluster-marts bench``.

The same provider job as the dbt build, written the direct way: read the
catalogue with pandas, clean it, average per provider, standardise, run k-means
for k = 2..8 with the full (unsampled) silhouette, refit at the best k, then
compare regions (mean, median, standard deviation and a Kruskal-Wallis test per
metric). Run it as its own process so its peak memory can be measured::

    python -m benchmarks.baseline data/raw/ai_models.parquet \
        [--regions seeds/provider_regions.csv]

It prints one JSON object on stdout: the seconds of each stage, the total, the
chosen k, the row counts and, when ``demo_truth_providers.parquet`` lies beside
the catalogue, the ARI of the final clusters against the planted tiers
(computed after the timed stages).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import kruskal
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from benchmarks.quality import ari, read_truth

METRICS: dict[str, str] = {
    "intelligence": "intelligence_index",
    "price": "blended_price_usd",
    "speed": "median_output_speed",
}
K_RANGE = range(2, 9)
RANDOM_STATE = 42


def provider_key(names: pd.Series) -> pd.Series:
    """Lower case, trimmed, inner whitespace collapsed: the provider key."""
    return names.str.strip().str.replace(r"\s+", " ", regex=True).str.lower()


def clean(raw: pd.DataFrame) -> pd.DataFrame:
    """Typed metrics, negatives and unparsable values dropped, one row per model_id."""
    models = pd.DataFrame({
        "model_id": raw["model_id"],
        "provider_id": provider_key(raw["creator"]),
        METRICS["intelligence"]: pd.to_numeric(raw["intelligence_index"], errors="coerce"),
        METRICS["price"]: pd.to_numeric(raw["blended_price_per_1m_tokens"], errors="coerce"),
        METRICS["speed"]: pd.to_numeric(raw["median_output_speed_tps"], errors="coerce"),
    })
    values = models[list(METRICS.values())]
    models = models[values.notna().all(axis=1) & (values >= 0).all(axis=1)]
    return models.drop_duplicates("model_id").reset_index(drop=True)


def aggregate(models: pd.DataFrame) -> pd.DataFrame:
    """Mean of each metric per provider."""
    return models.groupby("provider_id")[list(METRICS.values())].mean()


def select_k(scaled: np.ndarray) -> tuple[int, dict[int, float]]:
    """Best k in ``K_RANGE`` by the full silhouette, and every k's score."""
    scores = {}
    for k in K_RANGE:
        labels = KMeans(k, n_init=10, random_state=RANDOM_STATE).fit_predict(scaled)
        scores[k] = float(silhouette_score(scaled, labels))
    return max(scores, key=scores.get), scores


def regional(models: pd.DataFrame, regions: pd.Series) -> dict[str, Any]:
    """Mean/median/std per region and a Kruskal-Wallis test per metric."""
    region = models["provider_id"].map(regions).fillna("Other")
    summary = models.groupby(region)[list(METRICS.values())].agg(["mean", "median", "std"])
    tests = {}
    for name, column in METRICS.items():
        groups = [g.to_numpy() for _, g in models[column].groupby(region)]
        h, p = kruskal(*groups) if len(groups) > 1 else (float("nan"), float("nan"))
        tests[name] = {"h": float(h), "p": float(p)}
    return {"n_regions": int(summary.shape[0]), "kruskal": tests}


def read_regions(path: str | None) -> pd.Series:
    """Provider key -> region from the region seed (empty when no path)."""
    if path is None:
        return pd.Series(dtype="object")
    seed = pd.read_csv(path)
    return pd.Series(seed["region"].to_numpy(), index=provider_key(seed["creator"]))


def timed(stages: dict[str, float], name: str, func: Callable[..., Any], *args: Any) -> Any:
    """Call ``func(*args)``, recording its wall seconds under ``stages[name]``."""
    start = time.perf_counter()
    result = func(*args)
    stages[name] = round(time.perf_counter() - start, 4)
    return result


def run(parquet: str, regions_csv: str | None = None) -> dict[str, Any]:
    """Run the baseline on ``parquet`` and return its timings and results."""
    stages: dict[str, float] = {}
    raw = timed(stages, "read", pd.read_parquet, parquet)
    models = timed(stages, "clean", clean, raw)
    features = timed(stages, "aggregate", aggregate, models)
    scaled = timed(stages, "scale", StandardScaler().fit_transform, features.to_numpy())
    best_k, scores = timed(stages, "k_selection", select_k, scaled)
    final = KMeans(best_k, n_init=10, random_state=RANDOM_STATE)
    labels = timed(stages, "final_fit", final.fit_predict, scaled)
    regions = read_regions(regions_csv)
    comparison = timed(stages, "regional", regional, models, regions)
    tiers = read_truth(Path(parquet).parent, "providers", "provider_id", "tier")
    return {
        "stages": stages,
        "total_seconds": round(sum(stages.values()), 4),
        "n_rows": int(len(raw)),
        "n_models": int(len(models)),
        "n_providers": int(len(features)),
        "chosen_k": int(best_k),
        "silhouette": scores,
        "regional": comparison,
        "ari": None if tiers is None else ari(tiers, pd.Series(labels, index=features.index)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print :func:`run`'s result as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline")
    parser.add_argument("parquet", help="raw AI-model catalogue (Parquet)")
    parser.add_argument("--regions", default=None, help="region seed CSV (creator,region)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.parquet, args.regions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
