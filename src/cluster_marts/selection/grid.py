"""Choose k: one table with every criterion per k, plus the rule that chose.

:func:`evaluate_k_grid` fits the configured algorithm at every k and scores it
(inertia, silhouette and its variant, Calinski-Harabasz, Davies-Bouldin, the
gap statistic with its ``s_k``, and the share of the smallest cluster);
:func:`~cluster_marts.selection.rules.choose_k` (re-exported here, with
:func:`~cluster_marts.selection.rules.knee_point`) marks eligibility, the knee and
the chosen k.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

from cluster_marts.algorithms.registry import get_algorithm, within_ss
from cluster_marts.errors import InputDataError
from cluster_marts.selection.gap import gap_statistic, log_w
from cluster_marts.selection.rules import choose_k, knee_point
from cluster_marts.config.cluster import ClusterSettings
from cluster_marts.selection.metrics import n_labels_ok, silhouette

__all__ = ["knee_point", "evaluate_k_grid", "choose_k", "SCORE_COLUMNS"]

SCORE_COLUMNS = [
    "k", "inertia", "silhouette", "silhouette_method", "calinski_harabasz", "davies_bouldin",
    "gap", "gap_sd", "gap_references", "smallest_cluster_share",
]
_DTYPES = {
    "k": "int64", "inertia": "float64", "silhouette": "float64", "silhouette_method": "str",
    "calinski_harabasz": "float64", "davies_bouldin": "float64", "gap": "float64", "gap_sd": "float64",
    "gap_references": "int64", "smallest_cluster_share": "float64",
}


def _score_one(X: np.ndarray, labels: np.ndarray, k: int, inertia: float, settings: ClusterSettings) -> dict:
    """Every per-k criterion that needs only the data fit."""
    score, method = silhouette(
        X, labels, sample_size=settings.silhouette_sample_size, random_state=settings.random_state
    )
    defined = n_labels_ok(labels)
    return {
        "k": k,
        "inertia": inertia,
        "silhouette": score,
        "silhouette_method": method,
        "calinski_harabasz": float(calinski_harabasz_score(X, labels)) if defined else np.nan,
        "davies_bouldin": float(davies_bouldin_score(X, labels)) if defined else np.nan,
        "smallest_cluster_share": float(np.bincount(labels, minlength=k).min() / X.shape[0]),
    }


def evaluate_k_grid(X: np.ndarray, settings: ClusterSettings, *, model: str = "(unnamed)") -> pd.DataFrame:
    """Fit and score the configured algorithm for every k in the grid.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Scaled (and preprocessed), finite features.
    settings : ClusterSettings
        ``gap_references > 0`` adds the gap statistic: B reference sets, each
        fitted at every k with ``min(n_init, 3)`` restarts.
    model : str, default="(unnamed)"
        dbt model name for error messages.

    Returns
    -------
    DataFrame
        One row per k in ``k_min..min(k_max, n_samples - 1)``, columns
        :data:`SCORE_COLUMNS`; scores are NaN where undefined (fewer than 2
        distinct clusters came out), ``gap`` and ``gap_sd`` (= ``s_k``) are
        NaN when ``gap_references`` is 0.  ``smallest_cluster_share`` is the
        size of the smallest cluster over ``n_samples`` (0 for an empty one).

    Raises
    ------
    InputDataError
        Fewer than ``k_min + 1`` rows.
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    if n < settings.k_min + 1:
        raise InputDataError(
            f"model {model}: only {n} rows in the features input; need at least {settings.k_min + 1} "
            f"for k_min={settings.k_min}; lower k_min or add data"
        )
    fit = get_algorithm(settings.algorithm)
    ks = list(range(settings.k_min, min(settings.k_max, n - 1) + 1))
    rows, log_w_data = [], []
    for k in ks:
        result = fit(X, k, settings.random_state, settings.n_init)
        rows.append(_score_one(X, result.labels, k, result.inertia, settings))
        log_w_data.append(float(log_w(within_ss(X, result.labels))))
    frame = pd.DataFrame(rows)
    frame["gap"], frame["gap_sd"] = np.nan, np.nan
    if settings.gap_references > 0:
        frame["gap"], frame["gap_sd"] = gap_statistic(
            X, ks, log_w_data, fit, n_references=settings.gap_references,
            random_state=settings.random_state, n_init=settings.n_init,
        )
    frame["gap_references"] = settings.gap_references
    return frame[SCORE_COLUMNS].astype(_DTYPES)
