"""Recommendations: k by silhouette, an algorithm comparison, DBSCAN eps, interpretation notes.

* :func:`search_k`: the engine's k grid over a range with every criterion,
  chosen by :func:`choose_spec_k` (silhouette, ties to the smallest k, or
  fixed at the spec's k): what a spec that fixes k or finds its clusters
  itself is shown as a suggestion (the spec's own fit:
  :mod:`~cluster_marts.adapters.workbench.fit`);
* :func:`suggest_eps`: the knee of the sorted k-distance curve
  (``k = min_samples``, the point itself counted as DBSCAN does), found with
  :func:`cluster_marts.selection.rules.knee_point`; the 90th percentile when there is
  no knee;
* :func:`compare`: every algorithm on the same prepared matrix, scored by
  ``silhouette * (1 - noise_share)`` (runs with fewer than 2 clusters cannot
  win); the best is recommended with a reason.

On a large table the caller passes the fit sample as ``X``; the quadratic
methods fit on a sample of it
(:func:`~cluster_marts.adapters.workbench.scale.quadratic_rows`) and label
the rest of it by ``predict``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from cluster_marts.adapters.workbench.menu import Clustering, run_algorithm
from cluster_marts.adapters.workbench.scale import quadratic_rows
from cluster_marts.config.spec_params import DENSITY_ALGORITHMS
from cluster_marts.profiling.cluster_stats import SILHOUETTE_SAMPLE, quality
from cluster_marts.profiling.vocabulary import silhouette_band
from cluster_marts.selection.grid import evaluate_k_grid, k_values
from cluster_marts.selection.rules import choose_k, knee_point

__all__ = ["search_k", "choose_spec_k", "silhouette_best", "suggest_eps", "compare", "interpretation"]


def search_k(
    X: np.ndarray, name: str, k_range: tuple[int, int], params: Mapping[str, Any], random_state: int, *,
    n_clusters: int | None = None, note: str | None = None, model: str = "(workbench)", stability_resamples: int = 0,
) -> pd.DataFrame:
    """Score ``name`` at every k of ``k_range`` (capped at ``n_samples - 1``) and choose k.

    A quadratic method fits on :func:`~cluster_marts.adapters.workbench.scale.quadratic_rows`
    of ``X`` and labels the other rows by ``predict``.

    The grid is :func:`~cluster_marts.selection.grid.evaluate_k_grid` (silhouette
    on up to :data:`~cluster_marts.profiling.cluster_stats.SILHOUETTE_SAMPLE`
    rows, seeded); the rule is ``fixed`` at ``n_clusters`` when it is given
    and in the grid, else ``silhouette`` (ties to the smallest k).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_dims)
        The prepared matrix.
    name : str
        Algorithm fitted at every k (:func:`~cluster_marts.adapters.workbench.menu.run_algorithm`).
    k_range : tuple of int
    params : mapping
        The algorithm's parameters.
    random_state : int
    n_clusters : int, optional
        The spec's own k.
    note : str, optional
        Why the silhouette pick is only a suggestion (e.g. a density method
        finds its clusters itself); written into ``selection_rule``.
    model : str
        Name for error messages.
    stability_resamples : int, default=0
        Bootstrap refits of the grid's ``stability`` column (0: null); the
        spec's ``stability_resamples`` when its ``metrics`` list ``stability``.

    Returns
    -------
    DataFrame
        :func:`~cluster_marts.selection.rules.choose_k` output.  When the
        silhouette is undefined at every k, the smallest k is chosen and
        ``selection_rule`` says so.
    """
    rows = quadratic_rows(X, name, random_state)
    ks = k_values(k_range[0], k_range[1], X.shape[0] if rows is None else rows.size, model=model)
    grid = evaluate_k_grid(
        X, ks, lambda k: run_algorithm(name, X, k, params, random_state, fit_rows=rows),
        silhouette_sample_size=SILHOUETTE_SAMPLE, random_state=random_state, stability_resamples=stability_resamples,
        refit=lambda X_b, k: run_algorithm(name, X_b, k, params, random_state,
                                           fit_rows=quadratic_rows(X_b, name, random_state)))
    return choose_spec_k(grid, n_clusters=n_clusters, note=note, model=model)


def choose_spec_k(grid: pd.DataFrame, *, n_clusters: int | None = None, note: str | None = None,
                  model: str = "(workbench)") -> pd.DataFrame:
    """Choose k on a spec's k grid (:func:`~cluster_marts.selection.grid.evaluate_k_grid` output).

    Rule ``fixed`` at ``n_clusters`` when it is in the grid, else
    ``silhouette`` (ties to the smallest k; the smallest k when the
    silhouette is undefined at every k); ``note`` (why the pick is only a
    suggestion) is written into ``selection_rule``.  The rule of
    :func:`search_k` and of the spec's own fit
    (:func:`~cluster_marts.adapters.workbench.fit.fit_spec`).
    """
    ks = grid["k"].astype(int).tolist()
    if n_clusters in ks:
        return choose_k(grid, "fixed", n_clusters=n_clusters, model=model)
    if n_clusters is not None:
        note = f"suggestion only: the spec's n_clusters={n_clusters} is outside k={ks[0]}..{ks[-1]}"
    if grid["silhouette"].isna().all():
        out = choose_k(grid, "fixed", n_clusters=ks[0], model=model)
        note = "undefined at every k; took the smallest k" + (f"; {note}" if note else "")
    else:
        out = choose_k(grid, "silhouette", model=model)
    if note:
        out["selection_rule"] = pd.Series([f"silhouette ({note})"] * len(out), dtype="str")
    return out


def silhouette_best(chosen: pd.DataFrame, default_k: int) -> tuple[int, float]:
    """The k and silhouette flagged ``is_silhouette_best``; ``(default_k, nan)`` when none is."""
    best = chosen.loc[chosen["is_silhouette_best"]]
    if best.empty:
        return default_k, float("nan")
    return int(best["k"].iloc[0]), float(best["silhouette"].iloc[0])


def suggest_eps(X: np.ndarray, min_samples: int) -> float:
    """DBSCAN ``eps`` at the knee of the ``min_samples``-distance curve (always > 0 and finite).

    Examples
    --------
    >>> X = np.r_[np.zeros((20, 1)), np.arange(1, 21)[:, None] * 10.0] + np.linspace(0, 1, 40)[:, None]
    >>> 0 < suggest_eps(X, 3) < 100
    True
    """
    k = int(min(max(min_samples, 2), X.shape[0]))
    dist = NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X)[0][:, -1]
    curve = np.sort(dist)[::-1]
    knee = knee_point(list(range(curve.size)), curve.tolist())
    eps = float(curve[knee]) if knee is not None else float(np.percentile(dist, 90))
    positive = dist[dist > 0]
    if not eps > 0:
        eps = float(positive.min()) if positive.size else 1.0
    return eps


def _score(fit: Clustering, X: np.ndarray, random_state: int) -> tuple[float, float]:
    sil = quality(X, fit.labels, random_state)["silhouette"]
    combined = sil * (1.0 - fit.noise_share) if np.isfinite(sil) else -np.inf
    return float(sil), float(combined)


def compare(
    X: np.ndarray, algorithms: tuple[str, ...], k: int, eps: float, spec_algorithm: str,
    spec_params: Mapping[str, Any], random_state: int,
) -> pd.DataFrame:
    """Run and score ``algorithms`` on ``X``; one row each, the best marked.

    k methods use ``k``; the spec's own algorithm keeps its parameters, the
    others take defaults, except DBSCAN, which takes the suggested ``eps``.
    A quadratic method fits on :func:`~cluster_marts.adapters.workbench.scale.quadratic_rows`
    of ``X`` and labels the other rows by ``predict``.

    Returns
    -------
    DataFrame
        ``algorithm`` (str), ``n_clusters`` (int64), ``silhouette``
        (float64), ``noise_share`` (float64), ``is_recommended`` (bool),
        ``reason`` (str: why for the recommended row, the score otherwise).
    """
    rows = []
    for name in algorithms:
        params = dict(spec_params) if name == spec_algorithm else ({"eps": eps} if name == "dbscan" else {})
        fit = run_algorithm(name, X, None if name in DENSITY_ALGORITHMS else k, params, random_state,
                            fit_rows=quadratic_rows(X, name, random_state))
        sil, combined = _score(fit, X, random_state)
        rows.append({"algorithm": name, "n_clusters": fit.n_clusters, "silhouette": sil,
                     "noise_share": fit.noise_share, "combined": combined})
    frame = pd.DataFrame(rows)
    order = sorted(range(len(rows)), key=lambda i: (-rows[i]["combined"], i))
    best = order[0]
    frame["is_recommended"] = [i == best and np.isfinite(rows[i]["combined"]) for i in range(len(rows))]
    reasons = [f"silhouette x (1 - noise share) = {r['combined']:.3f}" if np.isfinite(r["combined"])
               else f"not scored: {r['n_clusters']} cluster(s) outside noise, silhouette undefined" for r in rows]
    if frame["is_recommended"].any():
        b = rows[best]
        second = rows[order[1]] if len(order) > 1 else None
        runner = f"; next best {second['algorithm']} ({second['combined']:.3f})" if second is not None else ""
        reasons[best] = (f"highest silhouette x (1 - noise share) = {b['combined']:.3f} "
                         f"(silhouette {b['silhouette']:.3f}, noise {b['noise_share']:.0%}, "
                         f"{b['n_clusters']} clusters){runner}")
    frame["reason"] = reasons
    types = {"algorithm": "str", "n_clusters": "int64", "silhouette": "float64", "noise_share": "float64",
             "is_recommended": "bool", "reason": "str"}
    return frame[list(types)].astype(types)


def interpretation(metrics: dict[str, float], clusters: pd.DataFrame, importance: pd.DataFrame,
                   fit: Clustering, n_outliers: int) -> list[str]:
    """Short notes generated from the numbers of a run."""
    sil = metrics.get("silhouette", np.nan)
    notes = [f"{fit.algorithm} found {fit.n_clusters} clusters; silhouette {sil:.3f}: {silhouette_band(sil)}."]
    if len(clusters):
        big, small = clusters.loc[clusters["share"].idxmax()], clusters.loc[clusters["share"].idxmin()]
        notes.append(f"largest cluster {int(big['cluster_id'])} holds {big['share']:.0%} of rows, "
                     f"smallest {int(small['cluster_id'])} holds {small['share']:.0%}.")
    if len(importance) and importance["importance"].iloc[0] > 0:
        top = importance.iloc[: min(3, len(importance))]
        notes.append("features separating the clusters most: "
                     + ", ".join(f"{r.feature} ({r.importance:.0%})" for r in top.itertuples()) + ".")
    if fit.algorithm in DENSITY_ALGORITHMS:
        notes.append(f"{fit.noise_share:.0%} of rows are noise (cluster_id -1).")
    agreement = [f"{name.upper()} {metrics[name]:.3f}" for name in ("ari", "nmi")
                 if np.isfinite(metrics.get(name, np.nan))]
    if agreement:
        notes.append(f"agreement with the target: {', '.join(agreement)}.")
    if n_outliers:
        notes.append(f"{n_outliers} rows are flagged as outliers (kept in the fit).")
    return notes
