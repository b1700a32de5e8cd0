"""A small fake warehouse (provider, demand and customer marts) for the report, export and quality tests.

``fake_marts()`` returns the four provider marts as pandas frames with the
column names and types that the dbt contracts fix, filled with plausible,
internally consistent rows: 12 invented providers in 3 clusters, a k grid
2..6 with k=3 chosen, and a real Kruskal-Wallis test over synthetic
model-level data for 4 regions. ``write_warehouse()`` writes them into a
DuckDB file (schema ``main``), so a test can edit a frame first, or leave a
table out, and then point ``run_report`` / ``run_checks`` at the file.

``fake_demand_marts()`` returns the two demand marts the GX suites read:
``dim_dfu`` built from the small synthetic demand demo (its raw DFU master plus
``months_of_history`` and ``quarantine_reason``; the short-history DFUs are
quarantined) and ``dfu_cluster_assignments`` with one cluster per planted
archetype (k = 6).

``fake_customer_marts()`` returns the three customer segmentation marts the
export and the GX suites read (``customer_fit_metrics``,
``customer_segment_profiles``, ``customer_memberships``): 60 synthetic
customers on the ``engagement`` axis, segmented by fcm, gmm and neural into
the same 3 top-level segments of 40, 17 and 3 customers; segment 0 is
subdivided into 0.0 (25) and 0.1 (15), segment 1 into 1.0 (14) and 1.1 (3).
The statistics are computed from the synthetic feature values the way the
dbt model computes them, so the marts are internally consistent.

All names and numbers are synthetic: none describe a real company.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

RUN_ID = "run-fixture-0001"
DEMAND_RUN_ID = "run-fixture-dfu-0001"
DEMAND_MARTS = ("dfu_cluster_assignments", "dim_dfu")
#: planted archetype -> (cluster_id, cluster_label) of the fake demand clustering
_DFU_CLUSTERS = {
    "steady_high": (0, "high_volume_steady"), "seasonal": (1, "seasonal"),
    "intermittent": (2, "intermittent"), "growing": (3, "growing"),
    "declining": (4, "declining"), "volatile": (5, "volatile"),
}
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


def fake_demand_marts(seed: int = 42) -> dict[str, pd.DataFrame]:
    """Return ``{"dfu_cluster_assignments": ..., "dim_dfu": ...}`` from the small demand demo."""
    from cluster_marts.demo.demand import generate

    tables = generate("small", seed)
    truth = tables["demo_truth_dfu.parquet"].to_pandas()
    raw = tables["dim_dfu.parquet"].to_pandas()
    clustered = truth[~truth["is_short_history"]].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    cluster = clustered["archetype"].map(_DFU_CLUSTERS)
    assignments = pd.DataFrame({
        "dfu_id": clustered["dfu_id"],
        "cluster_id": cluster.str[0],
        "cluster_label": cluster.str[1],
        "cluster_assignment": cluster.str[1],
        "silhouette": rng.uniform(0.25, 0.75, len(clustered)).round(4),
        "distance_to_centroid": rng.gamma(2.0, 0.4, len(clustered)).round(4),
        "k": len(_DFU_CLUSTERS),
        "run_id": DEMAND_RUN_ID,
    }).astype({"cluster_id": "int32", "k": "int32"})
    history = truth.set_index("dfu_id")
    dim_dfu = raw.drop(columns="cluster_assignment").assign(
        cluster_assignment=raw["dfu_id"].map(assignments.set_index("dfu_id")["cluster_assignment"]),
        months_of_history=raw["dfu_id"].map(history["months_of_history"]).astype("int32"),
        quarantine_reason=np.where(raw["dfu_id"].map(history["is_short_history"]),
                                   "fewer_than_min_months", None),
    )
    return {"dfu_cluster_assignments": assignments, "dim_dfu": dim_dfu}


CUSTOMER_AXIS = "engagement"
CUSTOMER_METHODS = ("fcm", "gmm", "neural")
CUSTOMER_FEATURES = ("log_frequency", "log_monetary", "orders_per_month")
CUSTOMER_MARTS = ("customer_fit_metrics", "customer_segment_profiles", "customer_memberships")
#: top-level segment -> (feature centre, [(subsegment path, size), ...] or a plain size)
_CUSTOMER_SEGMENTS: dict[int, tuple[tuple[float, float, float], list[tuple[str, int]] | int]] = {
    0: ((0.0, 3.6, 0.15), [("0.0", 25), ("0.1", 15)]),
    1: ((1.4, 5.2, 1.2), [("1.0", 14), ("1.1", 3)]),
    2: ((5.5, 9.8, 38.0), 3),
}
_CUSTOMER_FIT = {
    "fcm": {"silhouette": 0.58, "partition_coefficient": 0.71, "partition_entropy": 0.52, "n_iter": 37},
    "gmm": {"silhouette": 0.61, "bic": 412.7, "aic": 371.2, "log_likelihood": -166.6, "n_iter": 12},
    "neural": {"silhouette": 0.55, "reconstruction_error": 0.0412, "n_iter": None},
}


def _customer_population(seed: int) -> pd.DataFrame:
    """One row per synthetic customer: segment, subsegment path, depth and feature values."""
    rng = np.random.default_rng(seed)
    rows = []
    for segment_id, (centre, parts) in _CUSTOMER_SEGMENTS.items():
        parts = parts if isinstance(parts, list) else [(str(segment_id), parts)]
        for j, (path, size) in enumerate(parts):
            offset = 0.25 * j * np.array([1.0, 1.0, 1.0])
            values = np.asarray(centre) + offset + rng.normal(0, 0.2, (size, 3)) * (1 + np.asarray(centre) / 10)
            for value in values:
                rows.append((segment_id, path, path.count("."), *np.abs(value)))
    pop = pd.DataFrame(rows, columns=["segment_id", "segment_path", "depth", *CUSTOMER_FEATURES])
    pop.insert(0, "customer_id", [f"C-{i:06d}" for i in range(1, len(pop) + 1)])
    return pop


def _memberships(pop: pd.DataFrame, method: str, rng: np.random.Generator) -> np.ndarray:
    """``(n_customers, k)`` memberships summing to 1 with the dominant one on the customer's segment."""
    k, n = len(_CUSTOMER_SEGMENTS), len(pop)
    if method == "neural":
        top = np.ones(n)
    else:
        top = rng.uniform(0.55, 0.97, n) if method == "fcm" else rng.uniform(0.7, 1.0, n)
    rest = rng.dirichlet(np.ones(k - 1), n) * (1 - top)[:, None]
    out = np.empty((n, k))
    for i, seg in enumerate(pop["segment_id"]):
        out[i, seg] = top[i]
        out[i, [j for j in range(k) if j != seg]] = rest[i]
    return out


def _profile_rows(members: pd.DataFrame, feature: str) -> dict[str, float]:
    x = members[feature]
    return {"size": len(members), "mean": x.mean(), "median": x.median(), "std": x.std(ddof=1),
            "min": x.min(), "max": x.max(), "q25": x.quantile(0.25), "q75": x.quantile(0.75)}


def fake_customer_marts(seed: int = 11) -> dict[str, pd.DataFrame]:
    """The customer segmentation marts of one axis and three methods (see the module docstring)."""
    pop = _customer_population(seed)
    rng = np.random.default_rng(seed + 1)
    n, k = len(pop), len(_CUSTOMER_SEGMENTS)
    fits, profiles, memberships = [], [], []
    for method in CUSTOMER_METHODS:
        run_id = f"run-fixture-cust-{method}"
        u = _memberships(pop, method, rng)
        dominant = u.max(axis=1)
        distance = rng.gamma(2.0, 0.3, n) if method == "neural" else np.full(n, np.nan)
        members_all = pop.assign(max_membership=dominant, distance=distance)
        memberships.append(pd.DataFrame({
            "customer_id": np.repeat(pop["customer_id"].to_numpy(), k), "axis": CUSTOMER_AXIS,
            "method": method, "segment_id": np.tile(np.arange(k), n), "membership": u.ravel(),
            "run_id": run_id}))
        groups = [(seg, str(seg), True, members_all[members_all["segment_id"] == seg]) for seg in range(k)]
        groups += [(int(path.split(".")[0]), path, False, g)
                   for path, g in members_all[members_all["depth"] > 0].groupby("segment_path")]
        for seg, path, is_top, members in groups:
            for feature in CUSTOMER_FEATURES:
                weights = u[:, seg]
                x = pop[feature].to_numpy()
                centre_w = float((weights * x).sum() / weights.sum())
                stats_ = _profile_rows(members, feature)
                mm = members["max_membership"]
                row = {
                    "axis": CUSTOMER_AXIS, "method": method, "segment_id": seg, "segment_path": path,
                    "is_top_level": is_top, "feature": feature, **stats_,
                    "percentage": 100.0 * stats_["size"] / n,
                    "center": centre_w if is_top and method != "neural" else stats_["mean"],
                    "membership_mean": np.nan, "membership_std": np.nan, "membership_min": np.nan,
                    "membership_max": np.nan, "mixture_weight": np.nan, "probability_mean": np.nan,
                    "probability_std": np.nan, "probability_min": np.nan, "probability_max": np.nan,
                    "probability_median": np.nan, "feature_variance": np.nan,
                    "distance_mean": np.nan, "distance_std": np.nan,
                }
                if method == "fcm":
                    row.update(membership_mean=mm.mean(), membership_std=mm.std(ddof=1),
                               membership_min=mm.min(), membership_max=mm.max())
                elif method == "gmm":
                    row.update(probability_mean=mm.mean(), probability_std=mm.std(ddof=1),
                               probability_min=mm.min(), probability_max=mm.max(),
                               probability_median=mm.median())
                    if is_top:
                        row.update(mixture_weight=float(weights.mean()),
                                   feature_variance=float((weights * (x - centre_w) ** 2).sum() / weights.sum()))
                else:
                    row.update(distance_mean=members["distance"].mean(),
                               distance_std=members["distance"].std(ddof=1))
                profiles.append(row)
        fit = {**{c: None for c in ("partition_coefficient", "partition_entropy", "bic", "aic",
                                    "log_likelihood", "reconstruction_error", "avg_max_probability",
                                    "high_confidence_count", "low_confidence_count", "avg_entropy",
                                    "fuzziness", "max_iter", "tolerance", "covariance_type",
                                    "encoding_dim", "epochs", "batch_size", "converged")},
               **_CUSTOMER_FIT[method]}
        if method == "fcm":
            fit.update(fuzziness=2.0, max_iter=150, tolerance=1e-5, converged=True)
        elif method == "gmm":
            entropy = -(u * np.log(np.clip(u, 1e-12, None))).sum(axis=1)
            fit.update(covariance_type="full", max_iter=200, tolerance=1e-3, converged=True,
                       avg_max_probability=float(dominant.mean()),
                       high_confidence_count=int((dominant >= 0.9).sum()),
                       low_confidence_count=int((dominant < 0.6).sum()), avg_entropy=float(entropy.mean()))
        else:
            fit.update(encoding_dim=3, epochs=200, batch_size=64)
        fits.append({
            "axis": CUSTOMER_AXIS, "method": method, "k": k, "n_samples": n,
            "features": ",".join(CUSTOMER_FEATURES), "run_id": run_id, **fit,
            "max_share_before_subdivision": 40 / n, "max_share_after_subdivision": 25 / n,
            "n_leaf_segments": 5, "settings_json": '{"fixture": true}',
        })
    fit_columns = ["axis", "method", "k", "n_samples", "features", "run_id", "silhouette",
                   "partition_coefficient", "partition_entropy", "bic", "aic", "log_likelihood", "converged",
                   "n_iter", "reconstruction_error", "avg_max_probability", "high_confidence_count",
                   "low_confidence_count", "avg_entropy", "max_share_before_subdivision",
                   "max_share_after_subdivision", "n_leaf_segments", "settings_json", "fuzziness",
                   "max_iter", "tolerance", "covariance_type", "encoding_dim", "epochs", "batch_size"]
    ints = ("k", "n_samples", "n_iter", "high_confidence_count", "low_confidence_count", "n_leaf_segments",
            "max_iter", "encoding_dim", "epochs", "batch_size")
    floats = ("silhouette", "partition_coefficient", "partition_entropy", "bic", "aic", "log_likelihood",
              "reconstruction_error", "avg_max_probability", "avg_entropy", "fuzziness", "tolerance")
    fit_frame = pd.DataFrame(fits)[fit_columns].astype(
        {**{c: "Int32" for c in ints}, **{c: "float64" for c in floats}, "converged": "boolean"})
    profile_frame = pd.DataFrame(profiles).astype({"segment_id": "int32", "size": "int32"})
    membership_frame = pd.concat(memberships, ignore_index=True).astype({"segment_id": "int32"})
    return {"customer_fit_metrics": fit_frame, "customer_segment_profiles": profile_frame,
            "customer_memberships": membership_frame}


def fake_drift_marts(seed: int = 5) -> dict[str, pd.DataFrame]:
    """customer_drift for 500 customers x 1 axis x 4 steps: mostly calm, a few movers."""
    rng = np.random.default_rng(seed)
    n = 500 * 4
    score = np.where(rng.random(n) < 0.9, rng.uniform(0, 0.09, n), rng.uniform(0.3, 0.9, n))
    bands = [(0.1, "STABLE"), (0.3, "MINOR"), (0.5, "MODERATE"), (0.7, "SIGNIFICANT"), (9.0, "MAJOR")]
    severity = [next(name for upper, name in bands if s < upper) for s in score]
    drift = pd.DataFrame({
        "customer_id": np.repeat([f"C-{i:06d}" for i in range(500)], 4), "axis": "activity",
        "snapshot_type": "monthly", "drift_score": score, "severity": severity,
        "drift_velocity": score / 30.0, "segment_changed": score > 0.5,
    })
    return {"customer_drift": drift}


def write_warehouse(path: str | Path, marts: dict[str, pd.DataFrame] | None = None,
                    skip: Iterable[str] = (), empty: Iterable[str] = ()) -> Path:
    """Write the marts into a DuckDB file and return its path.

    Every fake mart of every domain is written; ``marts`` replaces some of
    them (e.g. an edited provider mart). ``skip`` leaves tables out; ``empty``
    writes them with their columns but no rows.
    """
    path = Path(path)
    marts = {**fake_marts(), **fake_demand_marts(), **fake_customer_marts(), **fake_drift_marts(),
             **(marts or {})}
    skip, empty = set(skip), set(empty)
    con = duckdb.connect(str(path))
    try:
        for name, df in marts.items():
            if name in skip:
                continue
            frame = df.iloc[0:0] if name in empty else df
            con.register("_frame", frame)
            con.execute(f"create or replace table main.{name} as select * from _frame")
            con.unregister("_frame")
    finally:
        con.close()
    return path
