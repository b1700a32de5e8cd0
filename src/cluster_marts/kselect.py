"""Choose k: one table with every criterion per k, plus the rule that chose.

:func:`evaluate_k_grid` fits the configured algorithm at every k and scores it
(inertia, silhouette and its variant, Calinski-Harabasz, Davies-Bouldin);
:func:`choose_k` marks the knee of the inertia curve and the chosen k.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

from cluster_marts.algorithms import get_algorithm
from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.settings import ClusterSettings
from cluster_marts.validation import n_labels_ok, silhouette

__all__ = ["knee_point", "evaluate_k_grid", "choose_k", "SCORE_COLUMNS"]

SCORE_COLUMNS = ["k", "inertia", "silhouette", "silhouette_method", "calinski_harabasz", "davies_bouldin"]
_MAXIMISE = {"silhouette": True, "calinski_harabasz": True, "davies_bouldin": False}
_FLAT = 1e-9


def knee_point(ks: Sequence[int], inertias: Sequence[float]) -> int | None:
    """Knee of a decreasing convex curve (Kneedle, Satopaa et al. 2011).

    Both axes are scaled to [0, 1]; the knee is the k maximising the
    difference curve ``(1 - y_norm) - x_norm``, i.e. the point farthest below
    the straight line joining the first and last points.

    Parameters
    ----------
    ks : sequence of int
        Values of k (any order; ties of the knee go to the smallest k).
    inertias : sequence of float
        Inertia (within-cluster sum of squares) at each k.

    Returns
    -------
    int or None
        ``None`` with fewer than 3 points, a flat or increasing curve, or no
        point below the line.

    References
    ----------
    Satopaa, Albrecht, Irwin and Raghavan (2011), "Finding a 'Kneedle' in a
    Haystack: Detecting Knee Points in System Behavior".

    Examples
    --------
    >>> knee_point([1, 2, 3, 4, 5, 6], [100, 40, 12, 10, 9, 8])
    3
    """
    x = np.asarray(ks, dtype=np.float64)
    y = np.asarray(inertias, dtype=np.float64)
    if x.size != y.size:
        raise ValueError(f"ks has {x.size} values but inertias has {y.size}.")
    keep = np.isfinite(y)
    x, y = x[keep], y[keep]
    if x.size < 3:
        return None
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    x_span, y_span = x[-1] - x[0], y.max() - y.min()
    if x_span <= 0 or y_span <= _FLAT * max(1.0, abs(y.max())) or y[0] <= y[-1]:
        return None  # single k, flat, or not decreasing
    x_norm = (x - x[0]) / x_span
    y_norm = (y - y.min()) / y_span
    difference = (1.0 - y_norm) - x_norm
    best = int(np.argmax(difference))
    if difference[best] <= _FLAT:
        return None
    return int(x[best])


def evaluate_k_grid(X: np.ndarray, settings: ClusterSettings, *, model: str = "(unnamed)") -> pd.DataFrame:
    """Fit and score the configured algorithm for every k in the grid.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Scaled, finite features.
    settings : ClusterSettings
    model : str, default="(unnamed)"
        dbt model name for error messages.

    Returns
    -------
    DataFrame
        One row per k in ``k_min..min(k_max, n_samples - 1)``, columns
        :data:`SCORE_COLUMNS`; scores are NaN where undefined (fewer than 2
        distinct clusters came out).

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
    rows = []
    for k in range(settings.k_min, min(settings.k_max, n - 1) + 1):
        result = fit(X, k, settings.random_state, settings.n_init)
        score, method = silhouette(
            X, result.labels, sample_size=settings.silhouette_sample_size, random_state=settings.random_state
        )
        defined = n_labels_ok(result.labels)
        rows.append(
            {
                "k": k,
                "inertia": result.inertia,
                "silhouette": score,
                "silhouette_method": method,
                "calinski_harabasz": float(calinski_harabasz_score(X, result.labels)) if defined else np.nan,
                "davies_bouldin": float(davies_bouldin_score(X, result.labels)) if defined else np.nan,
            }
        )
    frame = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    return frame.astype(
        {"k": "int64", "inertia": "float64", "silhouette": "float64", "silhouette_method": "str",
         "calinski_harabasz": "float64", "davies_bouldin": "float64"}
    )


def _best_k(scores: pd.DataFrame, column: str, model: str) -> int:
    values = scores[column].to_numpy(dtype=np.float64)
    if np.isnan(values).all():
        raise InputDataError(
            f"model {model}: {column} is undefined for every k in the grid (fewer than 2 distinct clusters "
            "came out); the features barely vary: check the feature columns or use selection_rule: fixed"
        )
    best = np.nanargmax(values) if _MAXIMISE[column] else np.nanargmin(values)
    return int(scores["k"].iloc[best])


def choose_k(scores: pd.DataFrame, settings: ClusterSettings, *, model: str = "(unnamed)") -> pd.DataFrame:
    """Mark the knee and the chosen k according to ``settings.selection_rule``.

    Rules: ``silhouette`` and ``calinski_harabasz`` take the maximum,
    ``davies_bouldin`` the minimum, ``elbow`` the knee of the inertia curve
    (falling back to the silhouette maximum when there is no knee, and saying
    so in ``selection_rule``), ``fixed`` takes ``settings.n_clusters``.  Ties
    go to the smallest k.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`evaluate_k_grid`.
    settings : ClusterSettings
    model : str, default="(unnamed)"
        dbt model name for error messages.

    Returns
    -------
    DataFrame
        ``scores`` sorted by k plus ``is_knee`` (bool), ``is_chosen`` (bool,
        exactly one True) and ``selection_rule`` (str).

    Raises
    ------
    SettingsError
        ``fixed`` rule with ``n_clusters`` outside the evaluated grid.
    InputDataError
        The rule's metric is undefined for every k.
    """
    out = scores.sort_values("k", kind="stable").reset_index(drop=True)
    ks = out["k"].to_numpy(dtype=np.int64)
    knee = knee_point(ks, out["inertia"].to_numpy(dtype=np.float64))
    rule = settings.selection_rule
    label = rule
    if rule == "fixed":
        chosen = settings.n_clusters
        if chosen not in set(ks.tolist()):
            raise SettingsError(
                f"model {model}: setting 'n_clusters'={chosen} is outside the evaluated k grid "
                f"{ks.min()}..{ks.max()} (k_max is capped at n_samples - 1); lower n_clusters or add data "
                "(edit config.meta in the model's YAML)"
            )
    elif rule == "elbow":
        if knee is None:
            chosen, label = _best_k(out, "silhouette", model), "elbow (no knee found; fell back to silhouette)"
        else:
            chosen = knee
    else:
        chosen = _best_k(out, rule, model)
    out["is_knee"] = pd.Series(ks == knee if knee is not None else np.zeros(ks.size, dtype=bool), dtype="bool")
    out["is_chosen"] = pd.Series(ks == chosen, dtype="bool")
    out["selection_rule"] = pd.Series([label] * len(out), dtype="str")
    return out
