"""The fit-metrics table of the customer segmentation: one row per axis and method, fitted or skipped.

A fitted (axis, method) has ``status = 'fitted'``, a null ``reason``, the
chosen k, the metrics at that k (silhouette, Calinski–Harabasz and
Davies–Bouldin from the k grid, for every method as for k-means; the method's
own metrics), the subdivision summary and the method's
parameters.  An axis that is not segmented
(:class:`~cluster_marts.adapters.customers.core.AxisSkipped`: every feature
constant or null, or fewer distinct points than ``k_min``) has one row per
method with ``status = 'skipped'``, the ``reason`` in words, ``n_samples``,
``features``, ``run_id`` and ``settings_json``; everything else is null.
``features`` is the axis's features as configured (patterns expanded),
``features_used`` those fitted (less the degenerate ones; null when skipped).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.adapters.customers.core import AxisResult, AxisSkipped, SegmentationFit
from cluster_marts.config.segmentation import SegmentationSettings, settings_json

__all__ = ["FIT_METRICS_COLUMNS", "FIT_STATUSES", "segment_fit_metrics"]

#: values of ``status``
FIT_STATUSES = ("fitted", "skipped")
_METRICS_FLOAT = [
    "silhouette", "calinski_harabasz", "davies_bouldin", "partition_coefficient", "partition_entropy", "bic", "aic",
    "log_likelihood",
]
FIT_METRICS_COLUMNS = [
    "axis", "method", "status", "reason", "k", "n_samples", "features", "features_used", "run_id", *_METRICS_FLOAT,
    "converged", "n_iter", "reconstruction_error", "avg_max_probability", "high_confidence_count",
    "low_confidence_count", "avg_entropy", "max_share_before_subdivision", "max_share_after_subdivision",
    "n_leaf_segments", "n_fit_samples", "settings_json", "fuzziness", "max_iter", "tolerance", "covariance_type",
    "encoding_dim", "epochs", "batch_size",
]
_DTYPES = {
    **{c: "float64" for c in FIT_METRICS_COLUMNS},
    **{c: "str" for c in ("axis", "method", "status", "reason", "features", "features_used", "run_id",
                          "settings_json", "covariance_type")},
    "n_samples": "int64", "converged": "boolean",
    **{c: "Int64" for c in ("k", "n_iter", "n_leaf_segments", "n_fit_samples", "high_confidence_count",
                            "low_confidence_count", "max_iter", "encoding_dim", "epochs", "batch_size")},
}
_NO_PARAMS = {"fuzziness": np.nan, "max_iter": pd.NA, "tolerance": np.nan, "covariance_type": None,
              "encoding_dim": pd.NA, "epochs": pd.NA, "batch_size": pd.NA}


def _params(s: SegmentationSettings, r: AxisResult) -> dict[str, Any]:
    if r.method == "fcm":
        return {**_NO_PARAMS, "fuzziness": s.fcm.m, "max_iter": s.fcm.max_iter, "tolerance": s.fcm.tol}
    if r.method == "gmm":
        return {**_NO_PARAMS, "max_iter": s.gmm.max_iter, "covariance_type": s.gmm.covariance_type}
    if r.method == "neural":
        return {**_NO_PARAMS, "encoding_dim": r.metrics["encoding_dim"], "epochs": s.neural.epochs,
                "batch_size": s.neural.batch_size}
    return dict(_NO_PARAMS)


def _fitted_row(s: SegmentationSettings, r: AxisResult) -> dict[str, Any]:
    m = r.metrics
    return {
        "status": "fitted", "reason": None, "k": r.k, "features_used": ",".join(r.features),
        **{c: m.get(c, np.nan) for c in _METRICS_FLOAT},
        "converged": bool(m["converged"]), "n_iter": int(m["n_iter"]),
        "reconstruction_error": m.get("reconstruction_error", np.nan),
        "avg_max_probability": m.get("avg_max_probability", np.nan),
        "high_confidence_count": m.get("high_confidence_count", pd.NA),
        "low_confidence_count": m.get("low_confidence_count", pd.NA),
        "avg_entropy": m.get("avg_entropy", np.nan),
        "max_share_before_subdivision": m["max_share_before_subdivision"],
        "max_share_after_subdivision": m["max_share_after_subdivision"],
        "n_leaf_segments": m["n_leaf_segments"], "n_fit_samples": m["n_fit_samples"],
        **_params(s, r),
    }


def segment_fit_metrics(fit: SegmentationFit) -> pd.DataFrame:
    """One row per axis and method: status and reason, chosen k, metrics at that k, subdivision summary, parameters.

    Columns :data:`FIT_METRICS_COLUMNS`, rows in configuration order (axis,
    then method), skipped axes included.  GMM uncertainty columns
    (``avg_max_probability`` ... ``avg_entropy``) are filled for gmm only;
    ``encoding_dim`` is the effective bottleneck (capped at the axis's
    feature count); parameters that do not apply to a method are null; a
    skipped row is null but for its status, reason, ``n_samples``,
    ``features``, ``run_id`` and ``settings_json`` (see the module docstring).
    """
    s, results = fit.settings, fit.results
    blob = settings_json(s)
    rows = []
    for r in results:
        row = {"axis": r.axis, "method": r.method, "n_samples": r.n_samples,
               "features": ",".join(s.features_of(r.axis)), "run_id": r.run_id, "settings_json": blob}
        if isinstance(r, AxisSkipped):
            row.update(status="skipped", reason=r.reason)
        else:
            row.update(_fitted_row(s, r))
        rows.append(row)
    return pd.DataFrame({c: pd.Series([row.get(c) for row in rows], dtype=_DTYPES[c]) for c in FIT_METRICS_COLUMNS})
