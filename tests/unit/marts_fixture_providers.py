"""Fake provider marts of the test warehouse (re-exported by :mod:`marts_fixture`).

``fake_marts()`` returns the four provider marts (plus the scaler parameters)
as pandas frames with the column names and types that the dbt contracts fix:
12 invented providers in 3 clusters, a k grid 2..6 with k=3 chosen, and a real
Kruskal-Wallis test over synthetic model-level data for 4 regions.

All names and numbers are synthetic: none describe a real company.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

RUN_ID = "run-fixture-0001"
MARTS = ("provider_clusters", "provider_k_selection", "provider_cluster_summary", "regional_comparison")
FEATURES = ("avg_intelligence", "avg_price", "avg_speed")

# name, region, cluster_id, avg_intelligence, avg_price (USD / 1M tokens), avg_speed (tokens/s), model_count
_PROVIDERS = [
    ("Acorn Labs", "US", 0, 28.0, 0.25, 95.0, 6),
    ("Bramble AI", "China", 0, 31.5, 0.18, 80.0, 9),
    ("Cobalt Systems", "Europe", 0, 26.0, 0.40, 70.0, 3),
    ("Dune Research", "Other", 0, 33.0, 0.30, 88.0, 2),
    ("Ember Compute", "US", 1, 44.0, 1.20, 310.0, 5),
    ("Fjord Models", "Europe", 1, 47.5, 1.60, 260.0, 4),
    ("Gale Inference", "US", 1, 41.0, 0.90, 420.0, 7),
    ("Harbor Tensor", "China", 1, 46.0, 1.40, 230.0, 3),
    ("Iris Intelligence", "US", 2, 66.0, 14.0, 75.0, 11),
    ("Juniper Minds", "US", 2, 62.5, 9.5, 60.0, 8),
    ("Kestrel AI", "China", 2, 60.0, 6.0, 95.0, 5),
    ("Lumen Cortex", "Europe", 2, 52.0, 4.0, 140.0, 2),
]
_SEGMENTS = {0: "budget", 1: "performance-focused", 2: "frontier premium"}
_SILHOUETTE = [0.71, 0.66, 0.58, 0.62, 0.55, 0.49, 0.41, 0.52, 0.64, 0.67, 0.45, 0.12]


def _provider_clusters() -> pd.DataFrame:
    df = pd.DataFrame(_PROVIDERS, columns=["provider_name", "region", "cluster_id", *FEATURES, "model_count"])
    df.insert(0, "provider_id", df["provider_name"].str.lower().str.replace(" ", "_"))
    z = (df[list(FEATURES)] - df[list(FEATURES)].mean()) / df[list(FEATURES)].std(ddof=0)
    centroids = z.groupby(df["cluster_id"]).transform("mean")
    df["silhouette"] = _SILHOUETTE
    df["distance_to_centroid"] = np.sqrt(((z - centroids) ** 2).sum(axis=1)).round(6)
    df["k"], df["algorithm"], df["run_id"] = 3, "kmeans", RUN_ID
    return df.astype({"cluster_id": "int32", "model_count": "int32", "k": "int32"})


def _k_selection(n_samples: int) -> pd.DataFrame:
    ks = [2, 3, 4, 5, 6]
    return pd.DataFrame({
        "k": ks,
        "inertia": [21.4, 8.9, 6.8, 5.3, 4.4],
        "silhouette": [0.52, 0.57, 0.46, 0.41, 0.37],
        "silhouette_method": "full",
        "calinski_harabasz": [14.2, 31.8, 27.5, 25.1, 23.9],
        "davies_bouldin": [0.81, 0.62, 0.74, 0.79, 0.83],
        "is_knee": [k == 3 for k in ks],
        "is_chosen": [k == 3 for k in ks],
        "selection_rule": "max_silhouette",
        "algorithm": "kmeans",
        "scaling": "standard",
        "random_state": 42,
        "n_samples": n_samples,
        "features": ",".join(FEATURES),
        "run_id": RUN_ID,
    }).astype({"k": "int32", "random_state": "int32", "n_samples": "int32"})


def _cluster_summary(pc: pd.DataFrame) -> pd.DataFrame:
    feats = list(FEATURES)
    z = (pc[feats] - pc[feats].mean()) / pc[feats].std(ddof=0)
    g = pc.groupby("cluster_id")
    out = g[feats].mean().reset_index()
    zm = z.groupby(pc["cluster_id"]).mean()
    out["segment_name"] = out["cluster_id"].map(_SEGMENTS)
    out["provider_count"] = g.size().to_numpy()
    out["provider_share"] = out["provider_count"] / len(pc)
    out["model_count"] = g["model_count"].sum().to_numpy()
    for f, name in zip(feats, ("intelligence_z", "price_z", "speed_z")):
        out[name] = zm[f].to_numpy()
    out["mean_silhouette"] = g["silhouette"].mean().to_numpy()
    out["members"] = g["provider_name"].agg(lambda s: ", ".join(sorted(s))).to_numpy()
    cols = ["cluster_id", "segment_name", "provider_count", "provider_share", "model_count", *feats,
            "intelligence_z", "price_z", "speed_z", "mean_silhouette", "members"]
    return out[cols].astype({"cluster_id": "int32", "provider_count": "int32", "model_count": "int32"})


def _regional_comparison(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = {"US": 30, "China": 20, "Europe": 10, "Other": 6}
    shift = {"US": (8.0, 1.0), "China": (4.0, 0.5), "Europe": (0.0, 0.8), "Other": (-3.0, 0.6)}
    rows = []
    for metric in ("intelligence", "price", "speed"):
        samples = {}
        for region, n in sizes.items():
            if metric == "intelligence":
                samples[region] = rng.normal(40 + shift[region][0], 9, n)
            elif metric == "price":
                samples[region] = rng.lognormal(np.log(shift[region][1] + 0.5), 0.9, n)
            else:
                samples[region] = rng.lognormal(np.log(110), 0.5, n)
        h, p = stats.kruskal(*samples.values())
        n_total = sum(sizes.values())
        for region, x in samples.items():
            rows.append({
                "region": region, "metric": metric, "model_count": len(x),
                "mean_value": float(np.mean(x)), "median_value": float(np.median(x)),
                "std_value": float(np.std(x, ddof=1)), "n_regions": len(sizes),
                "kruskal_h": float(h), "kruskal_p_value": float(p),
                "epsilon_squared": float(h / (n_total - 1)), "alpha": 0.05,
                "is_significant": bool(p < 0.05),
            })
    return pd.DataFrame(rows).astype({"model_count": "int32", "n_regions": "int32"})


def _scaler_params(pc: pd.DataFrame) -> pd.DataFrame:
    """Standard-scaler parameters of the fixture's features, as the engine stores them."""
    features = ["avg_intelligence", "avg_price", "avg_speed"]
    return pd.DataFrame({
        "run_id": pc["run_id"].iloc[0], "feature": features, "method": "standard",
        "center": [float(pc[f].mean()) for f in features],
        "scale": [float(pc[f].std(ddof=0)) for f in features],
    })


def fake_marts() -> dict[str, pd.DataFrame]:
    """Return the provider marts the report reads as a dict ``{table_name: DataFrame}``."""
    pc = _provider_clusters()
    return {
        "provider_clusters": pc,
        "provider_scaler_params": _scaler_params(pc),
        "provider_k_selection": _k_selection(len(pc)),
        "provider_cluster_summary": _cluster_summary(pc),
        "regional_comparison": _regional_comparison(),
    }
