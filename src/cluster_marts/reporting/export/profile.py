"""Build one cluster profile (a plain dict) from the segmentation marts.

Pure pandas -> dict; no I/O. Layout (``schemas/cluster_profile.schema.json``)::

    metadata        method, method_key, axis, timestamp, n_clusters, n_samples, run_id,
                    + FCM fuzziness_parameter, max_iterations, convergence_threshold
                    | GMM covariance_type, converged, n_iterations
                    | neural encoding_dim, epochs, batch_size
    metrics         silhouette_score
                    + FCM partition_coefficient, partition_entropy
                    | GMM bic, aic, log_likelihood | neural reconstruction_error
    features_used   [feature, ...]
    clusters        cluster_<id>: cluster_id, size, percentage, cluster_center,
                    feature_statistics {feature: {mean, median, std, min, max, q25, q75}},
                    + FCM membership_stats {mean, std, min, max}
                    | GMM mixture_weight, probability_stats {mean, std, min, max, median},
                      covariance_info {type, feature_variances}
                    | neural encoded_space_stats {mean_distance_to_center, std_distance_to_center},
                    subsegments {path: {size, percentage, feature_statistics}} when subdivided,
                    privacy {min_max_withheld, reason} when smaller than min_segment_size
    GMM only        mixture_weights [by cluster id], uncertainty_metrics {avg_max_probability,
                    high_confidence_count, high_confidence_pct, low_confidence_count, avg_entropy}

Values are copied from the marts (no rounding); nulls become ``None``.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

FIT_TABLE = "customer_fit_metrics"
PROFILE_TABLE = "customer_segment_profiles"

#: method key -> human name, in export order
METHODS: dict[str, str] = {
    "fcm": "Fuzzy C-Means (FCM)",
    "gmm": "Gaussian Mixture Model (GMM)",
    "neural": "Neural Network (Autoencoder + K-Means)",
}
#: method key -> {metadata key: customer_fit_metrics column}
PARAMETERS: dict[str, dict[str, str]] = {
    "fcm": {"fuzziness_parameter": "fuzziness", "max_iterations": "max_iter",
            "convergence_threshold": "tolerance"},
    "gmm": {"covariance_type": "covariance_type", "converged": "converged", "n_iterations": "n_iter"},
    "neural": {"encoding_dim": "encoding_dim", "epochs": "epochs", "batch_size": "batch_size"},
}
#: method key -> {metric key: customer_fit_metrics column}, after silhouette_score
METRICS: dict[str, dict[str, str]] = {
    "fcm": {"partition_coefficient": "partition_coefficient", "partition_entropy": "partition_entropy"},
    "gmm": {"bic": "bic", "aic": "aic", "log_likelihood": "log_likelihood"},
    "neural": {"reconstruction_error": "reconstruction_error"},
}
#: metadata parameters written as integers (DuckDB hands nullable integers to pandas as floats)
INTEGER_PARAMETERS = frozenset({"max_iterations", "n_iterations", "encoding_dim", "epochs", "batch_size"})
STATISTICS = ("mean", "median", "std", "min", "max", "q25", "q75")
WITHHELD = ("min", "max")

FIT_COLUMNS = ("axis", "method", "status", "reason", "k", "n_samples", "features", "run_id", "silhouette",
               "avg_max_probability", "high_confidence_count", "low_confidence_count", "avg_entropy",
               *sorted({c for m in (PARAMETERS, METRICS) for cols in m.values() for c in cols.values()}))
PROFILE_COLUMNS = ("axis", "method", "segment_id", "segment_path", "is_top_level", "size", "percentage",
                   "feature", *STATISTICS, "center", "membership_mean", "membership_std", "membership_min",
                   "membership_max", "mixture_weight", "probability_mean", "probability_std",
                   "probability_min", "probability_max", "probability_median", "feature_variance",
                   "distance_mean", "distance_std")


class ExportError(LookupError):
    """The marts lack what the export needs (an axis, a method, profile rows)."""


def py(value: Any) -> Any:
    """A JSON/YAML-safe Python scalar: numpy and pandas scalars unwrapped, NaN/NA -> None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    return value


def _int(value: Any) -> int | None:
    value = py(value)
    return None if value is None else int(value)


def _features(fit: pd.Series, rows: pd.DataFrame) -> list[str]:
    """Axis features: ``customer_fit_metrics.features`` order, then any other profiled feature."""
    listed = [f.strip() for f in str(py(fit["features"]) or "").split(",") if f.strip()]
    profiled = list(dict.fromkeys(rows["feature"].tolist()))
    return [f for f in listed if f in profiled] + [f for f in profiled if f not in listed]


def _path_key(path: str) -> tuple[int | str, ...]:
    """Sort key of a segment path: numerically by level (``0.2`` before ``0.10``)."""
    return tuple(int(p) if p.isdigit() else p for p in str(path).split("."))


def _privacy(size: int | None, min_segment_size: int) -> dict[str, Any] | None:
    if size is not None and size < min_segment_size:
        return {"min_max_withheld": True, "reason": f"segment smaller than {min_segment_size}"}
    return None


def _stats(row: pd.Series, columns: dict[str, str], withhold: bool) -> dict[str, Any]:
    """``{key: row[column]}``, without min and max when ``withhold``."""
    return {key: py(row[col]) for key, col in columns.items() if not (withhold and key in WITHHELD)}


def _feature_statistics(rows: pd.DataFrame, features: list[str], withhold: bool) -> dict[str, Any]:
    by_feature = rows.set_index("feature")
    return {f: _stats(by_feature.loc[f], {s: s for s in STATISTICS}, withhold)
            for f in features if f in by_feature.index}


def _segment_head(rows: pd.DataFrame, min_segment_size: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``{size, percentage}`` of a segment (from its first feature row) and its privacy note, if any."""
    first = rows.iloc[0]
    size = _int(first["size"])
    return {"size": size, "percentage": py(first["percentage"])}, _privacy(size, min_segment_size)


def _cluster(method: str, segment_id: int, top: pd.DataFrame, subs: pd.DataFrame, features: list[str],
             covariance_type: Any, min_segment_size: int) -> dict[str, Any]:
    """One ``cluster_<id>`` entry."""
    head, privacy = _segment_head(top, min_segment_size)
    withhold = privacy is not None
    first = top.iloc[0]
    by_feature = top.set_index("feature")
    cluster: dict[str, Any] = {
        "cluster_id": int(segment_id), **head,
        "cluster_center": {f: py(by_feature.loc[f, "center"]) for f in features if f in by_feature.index},
        "feature_statistics": _feature_statistics(top, features, withhold),
    }
    if method == "fcm":
        cluster["membership_stats"] = _stats(
            first, {s: f"membership_{s}" for s in ("mean", "std", "min", "max")}, withhold)
    elif method == "gmm":
        cluster["mixture_weight"] = py(first["mixture_weight"])
        cluster["probability_stats"] = _stats(
            first, {s: f"probability_{s}" for s in ("mean", "std", "min", "max", "median")}, withhold)
        cluster["covariance_info"] = {
            "type": py(covariance_type),
            "feature_variances": {f: py(by_feature.loc[f, "feature_variance"])
                                  for f in features if f in by_feature.index},
        }
    else:
        cluster["encoded_space_stats"] = {"mean_distance_to_center": py(first["distance_mean"]),
                                          "std_distance_to_center": py(first["distance_std"])}
    if not subs.empty:
        cluster["subsegments"] = {}
        for path in sorted(subs["segment_path"].unique(), key=_path_key):
            rows = subs[subs["segment_path"] == path]
            sub_head, sub_privacy = _segment_head(rows, min_segment_size)
            entry = {**sub_head,
                     "feature_statistics": _feature_statistics(rows, features, sub_privacy is not None)}
            if sub_privacy:
                entry["privacy"] = sub_privacy
            cluster["subsegments"][str(path)] = entry
    if privacy:
        cluster["privacy"] = privacy
    return cluster


def build_profile(fit_metrics: pd.DataFrame, segment_profiles: pd.DataFrame, axis: str, method: str,
                  timestamp: datetime, min_segment_size: int = 5) -> dict[str, Any]:
    """The profile of ``method`` on ``axis`` (see the module docstring).

    Raises
    ------
    ExportError
        When ``customer_fit_metrics`` has no row (or several) for the axis and
        method, or ``customer_segment_profiles`` has no top-level rows for it.
    """
    if method not in METHODS:
        raise ExportError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    fits = fit_metrics[(fit_metrics["axis"] == axis) & (fit_metrics["method"] == method)]
    if len(fits) != 1:
        available = sorted(fit_metrics.loc[fit_metrics["axis"] == axis, "method"].dropna().unique())
        problem = "no row" if fits.empty else f"{len(fits)} rows"
        raise ExportError(f"{FIT_TABLE} has {problem} for axis {axis!r} and method {method!r} "
                          f"(methods on this axis: {', '.join(available) or '(none)'}): "
                          "run `make build` first")
    fit = fits.iloc[0]
    rows = segment_profiles[(segment_profiles["axis"] == axis) & (segment_profiles["method"] == method)]
    top_mask = rows["is_top_level"].fillna(False).astype(bool)
    if not top_mask.any():
        raise ExportError(f"{PROFILE_TABLE} has no top-level rows for axis {axis!r} and method "
                          f"{method!r}: run `make build` first")
    features = _features(fit, rows)
    top_rows, sub_rows = rows[top_mask], rows[~top_mask]
    sub_parent = sub_rows["segment_path"].astype(str).str.split(".").str[0]

    metadata: dict[str, Any] = {
        "method": METHODS[method], "method_key": method, "axis": axis,
        "timestamp": timestamp.isoformat(),
        "n_clusters": _int(fit["k"]), "n_samples": _int(fit["n_samples"]), "run_id": py(fit["run_id"]),
    }
    for key, column in PARAMETERS[method].items():
        metadata[key] = _int(fit[column]) if key in INTEGER_PARAMETERS else py(fit[column])
    metrics = {"silhouette_score": py(fit["silhouette"]),
               **{key: py(fit[column]) for key, column in METRICS[method].items()}}

    clusters: dict[str, Any] = {}
    for segment_id in sorted(top_rows["segment_id"].unique()):
        top = top_rows[top_rows["segment_id"] == segment_id]
        subs = sub_rows[sub_parent == str(int(segment_id))]
        clusters[f"cluster_{int(segment_id)}"] = _cluster(method, int(segment_id), top, subs, features,
                                                          fit["covariance_type"], min_segment_size)

    profile: dict[str, Any] = {"metadata": metadata, "metrics": metrics, "features_used": features,
                               "clusters": clusters}
    if method == "gmm":
        n_samples, high = metadata["n_samples"], _int(fit["high_confidence_count"])
        profile["mixture_weights"] = [c["mixture_weight"] for c in clusters.values()]
        profile["uncertainty_metrics"] = {
            "avg_max_probability": py(fit["avg_max_probability"]),
            "high_confidence_count": high,
            "high_confidence_pct": (round(100.0 * high / n_samples, 4)
                                    if high is not None and n_samples else None),
            "low_confidence_count": _int(fit["low_confidence_count"]),
            "avg_entropy": py(fit["avg_entropy"]),
        }
    return profile
