"""The k grid: fit at every k and score every criterion, one row per k.

:func:`evaluate_k_grid` is the one place where candidate values of k are
scored, for every domain (providers, demand, customers, the workbench and the
subdivision of large segments).  The caller says how to fit at k
(``fit_at(k)``, any object exposing the labels, see :class:`ClusterFit`); the
grid computes, in the space ``X`` it is given:

* ``inertia`` (from the fit; NaN when it has none), ``silhouette`` and its
  variant (``full`` / ``sampled_<n>``, seeded), Calinski-Harabasz,
  Davies-Bouldin;
* the gap statistic and ``s_k`` (:mod:`cluster_marts.selection.gap`) when
  ``gap_references > 0``;
* ``balance`` and ``combined_score`` (:mod:`cluster_marts.selection.balance`),
  the smallest and the largest cluster's share, the number of clusters found;
* the method metrics the fit reports (``bic``, ``aic``,
  ``partition_coefficient``, ``partition_entropy``, ``reconstruction_error``),
  NaN where they do not apply;
* ``stability`` (:mod:`cluster_marts.selection.stability`: mean ARI of refits
  on seeded bootstrap resamples) when ``stability_resamples > 0``, else NaN.

:func:`~cluster_marts.selection.rules.choose_k` then marks the chosen k and
:func:`~cluster_marts.selection.table.k_selection_table` makes the published
table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

from cluster_marts.algorithms.scores import within_ss
from cluster_marts.errors import InputDataError
from cluster_marts.selection.balance import DEFAULT_BALANCE_WEIGHTS, balance_score, combined_score
from cluster_marts.selection.gap import gap_statistic, log_w
from cluster_marts.selection.metrics import fit_labels, n_labels_ok, silhouette
from cluster_marts.selection.stability import bootstrap_stability

__all__ = [
    "ClusterFit", "GridFit", "k_values", "evaluate_k_grid", "GRID_COLUMNS", "METHOD_METRICS",
]

METHOD_METRICS = ("bic", "aic", "partition_coefficient", "partition_entropy", "reconstruction_error")
GRID_COLUMNS = [
    "k", "inertia", "silhouette", "silhouette_method", "calinski_harabasz", "davies_bouldin",
    "gap", "gap_sd", "gap_references", "balance", "combined_score", "smallest_cluster_share", "largest_share",
    "n_clusters_found", *METHOD_METRICS, "stability",
]
_DTYPES = {c: "float64" for c in GRID_COLUMNS} | {
    "k": "int64", "silhouette_method": "str", "gap_references": "int64", "n_clusters_found": "int64",
}


class ClusterFit(Protocol):
    """What ``fit_at(k)`` returns: at least the labels of the rows.

    ``labels`` (or ``labels_``): int array of shape (n_samples,) in
    ``0..k-1``.  Optional, read when present: ``inertia`` (or ``inertia_``),
    and each of :data:`METHOD_METRICS` as an attribute or as a key of a
    ``metrics`` (or ``metrics_``) mapping.  A fitted estimator of the registry
    (:class:`~cluster_marts.algorithms.base.ClusterEstimator`) is one as it is:
    ``labels_``, ``inertia_`` and ``metrics_`` (GMM's ``bic`` / ``aic``).
    """

    labels: np.ndarray


@dataclass(frozen=True, eq=False)
class GridFit:
    """A ready-made :class:`ClusterFit` for adapters whose fit objects expose other names."""

    labels: np.ndarray
    inertia: float = float("nan")
    metrics: Mapping[str, Any] = field(default_factory=dict)


def _optional(fit: Any, name: str) -> float:
    """Attribute ``name`` (or ``name_``), else ``fit.metrics[name]`` (or ``fit.metrics_[name]``), else NaN."""
    for attr in (name, f"{name}_"):
        value = getattr(fit, attr, None)
        if value is not None and not callable(value):
            return float(value)
    metrics = getattr(fit, "metrics", None) or getattr(fit, "metrics_", None) or {}
    value = metrics.get(name)
    return float("nan") if value is None else float(value)


def k_values(k_min: int, k_max: int, n_samples: int, *, model: str = "(unnamed)") -> list[int]:
    """The grid ``k_min..min(k_max, n_samples - 1)``.

    Raises
    ------
    InputDataError
        Fewer than ``k_min + 1`` rows.

    Examples
    --------
    >>> k_values(2, 8, 5)
    [2, 3, 4]
    """
    if n_samples < k_min + 1:
        raise InputDataError(
            f"model {model}: only {n_samples} rows in the features input; need at least {k_min + 1} "
            f"for k_min={k_min}; lower k_min or add data"
        )
    return list(range(k_min, min(k_max, n_samples - 1) + 1))


def _score(X: np.ndarray, k: int, fit: Any, weights: tuple[float, float], sample_size: int, seed: int) -> dict:
    """Every criterion of one fit that needs only the data."""
    labels = fit_labels(fit)
    sizes = np.bincount(labels, minlength=k)
    sil, method = silhouette(X, labels, sample_size=sample_size, random_state=seed)
    defined = n_labels_ok(labels)
    balance = balance_score(sizes)
    return {
        "k": k,
        "inertia": _optional(fit, "inertia"),
        "silhouette": sil,
        "silhouette_method": method,
        "calinski_harabasz": float(calinski_harabasz_score(X, labels)) if defined else np.nan,
        "davies_bouldin": float(davies_bouldin_score(X, labels)) if defined else np.nan,
        "balance": balance,
        "combined_score": combined_score(sil, balance, weights),
        "smallest_cluster_share": float(sizes.min() / labels.size),
        "largest_share": float(sizes.max() / labels.size),
        "n_clusters_found": int(np.count_nonzero(sizes)),
        **{name: _optional(fit, name) for name in METHOD_METRICS},
    }


def evaluate_k_grid(
    X: np.ndarray,
    ks: Sequence[int],
    fit_at: Callable[[int], ClusterFit],
    *,
    silhouette_sample_size: int,
    random_state: int,
    gap_references: int = 0,
    reference_fit: Callable[[np.ndarray, int], ClusterFit] | None = None,
    balance_weights: tuple[float, float] = DEFAULT_BALANCE_WEIGHTS,
    stability_resamples: int = 0,
    refit: Callable[[np.ndarray, int], ClusterFit] | None = None,
) -> pd.DataFrame:
    """Fit at every k and score every criterion.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The space the criteria are computed in (scaled features, or the PCA
        scores the algorithm saw); finite.
    ks : sequence of int
        The grid, e.g. :func:`k_values`; consecutive values for the gap rule.
    fit_at : callable
        ``fit_at(k)`` fits the clustering at k (in whatever space the method
        uses) and returns a :class:`ClusterFit`.  Called once per k, in order.
    silhouette_sample_size : int
        Silhouette on a seeded sample of this many rows above it.
    random_state : int
        Seeds the silhouette sample and the gap reference draws.
    gap_references : int, default=0
        B reference sets of the gap statistic; 0 leaves ``gap`` and
        ``gap_sd`` NaN.
    reference_fit : callable, optional
        ``reference_fit(X_ref, k)`` fits a reference set at k (seeded);
        required when ``gap_references > 0``.  Called after every ``fit_at``.
    balance_weights : tuple of float, default=(0.4, 0.6)
        ``(w_silhouette, w_balance)`` of ``combined_score``.
    stability_resamples : int, default=0
        Bootstrap resamples of ``stability``
        (:func:`~cluster_marts.selection.stability.bootstrap_stability`,
        seeded by ``random_state``); 0 leaves it NaN.
    refit : callable, optional
        ``refit(X_resampled, k)`` fits the clustering at k on resampled rows of
        ``X`` (same method and seed as ``fit_at``); required when
        ``stability_resamples > 0``.  The gap's ``reference_fit`` is one.

    Returns
    -------
    DataFrame
        One row per k, columns :data:`GRID_COLUMNS`, typed.  ``gap`` is
        computed from ``W_k`` = the pooled within-cluster sum of squares of
        the labels in ``X``; ``smallest_cluster_share`` is 0 when a cluster
        came out empty; scores are NaN where undefined (fewer than 2 distinct
        clusters).
    """
    X = np.asarray(X, dtype=np.float64)
    ks = [int(k) for k in ks]
    if gap_references > 0 and reference_fit is None:
        raise ValueError("gap_references > 0 needs reference_fit, the fit of a reference set at k.")
    if stability_resamples > 0 and refit is None:
        raise ValueError("stability_resamples > 0 needs refit, the fit of resampled rows at k.")
    rows, log_w_data = [], []
    for k in ks:
        fit = fit_at(k)
        row = _score(X, k, fit, balance_weights, silhouette_sample_size, random_state)
        row["stability"] = np.nan if stability_resamples < 1 else bootstrap_stability(
            fit_labels(fit), X, lambda X_b, k=k: refit(X_b, k), n_resamples=stability_resamples,
            random_state=random_state)
        rows.append(row)
        log_w_data.append(float(log_w(within_ss(X, fit_labels(fit)))))
    frame = pd.DataFrame(rows, columns=[c for c in GRID_COLUMNS if c not in ("gap", "gap_sd", "gap_references")])
    frame["gap"], frame["gap_sd"] = np.nan, np.nan
    if gap_references > 0:
        frame["gap"], frame["gap_sd"] = gap_statistic(
            X, ks, log_w_data, reference_fit, n_references=gap_references, random_state=random_state
        )
    frame["gap_references"] = gap_references
    return frame[GRID_COLUMNS].astype(_DTYPES)
