"""Fake customer marts of the test warehouse (re-exported by :mod:`marts_fixture`).

``fake_customer_marts()`` returns the three customer segmentation marts the
export and the GX suites read (``customer_fit_metrics``,
``customer_segment_profiles``, ``customer_memberships``): 60 synthetic
customers on the ``engagement`` axis, segmented by fcm, gmm and neural into
the same 3 top-level segments of 40, 17 and 3 customers; segment 0 is
subdivided into 0.0 (25) and 0.1 (15), segment 1 into 1.0 (14) and 1.1 (3).
The statistics are computed from the synthetic feature values the way the
dbt model computes them, so the marts are internally consistent.

``fake_drift_marts()`` returns ``customer_drift``: 500 customers x 1 axis x 4
steps, mostly calm, a few movers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
            "axis": CUSTOMER_AXIS, "method": method, "status": "fitted", "reason": None, "k": k, "n_samples": n,
            "features": ",".join(CUSTOMER_FEATURES), "features_used": ",".join(CUSTOMER_FEATURES), "run_id": run_id,
            **fit,
            "max_share_before_subdivision": 40 / n, "max_share_after_subdivision": 25 / n,
            "n_leaf_segments": 5, "settings_json": '{"fixture": true}',
        })
    fit_columns = ["axis", "method", "status", "reason", "k", "n_samples", "features", "features_used", "run_id",
                   "silhouette",
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
