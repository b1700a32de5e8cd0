"""Choose k from the k grid: eligibility, the knee and every rule, in one place.

Every rule chooses only among *eligible* k: those whose smallest cluster holds
at least ``min_cluster_share`` of the rows.  Rules (:data:`RULES`):

* ``silhouette`` / ``calinski_harabasz``: maximum; ``davies_bouldin``: minimum;
* ``balanced``: maximum ``combined_score`` (silhouette and balance, see
  :mod:`cluster_marts.selection.balance`);
* ``stability``: maximum ``stability`` (mean ARI of bootstrap refits,
  :mod:`cluster_marts.selection.stability`; the grid must have computed it);
* ``elbow``: the knee of the inertia curve (over the whole grid); when there
  is no knee, or the knee is not eligible, the silhouette maximum, and
  ``selection_rule`` says so;
* ``gap``: the smallest k with ``Gap(k) >= Gap(k+1) - s_{k+1}``, else the
  maximum gap (see :mod:`cluster_marts.selection.gap`);
* ``vote``: elbow (the knee, if eligible; else it abstains), silhouette and
  gap each propose a k; most votes wins; ties go to the silhouette's pick
  (then to the smallest k);
* ``fixed``: ``n_clusters``, which must be eligible.

Ties of a maximum or minimum go to the smallest k.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.selection.gap import gap_choice

__all__ = ["knee_point", "choose_k", "CHOICE_COLUMNS", "RULES"]

RULES = ("silhouette", "elbow", "calinski_harabasz", "davies_bouldin", "gap", "vote", "balanced", "stability", "fixed")
CHOICE_COLUMNS = [
    "is_eligible", "is_knee", "is_silhouette_best", "is_gap_best", "is_combined_best", "is_chosen", "selection_rule",
]
_MAXIMISE = {"silhouette": True, "calinski_harabasz": True, "davies_bouldin": False, "combined_score": True,
             "stability": True}
_CRITERION = {"silhouette": "silhouette", "calinski_harabasz": "calinski_harabasz",
              "davies_bouldin": "davies_bouldin", "balanced": "combined_score", "stability": "stability"}
_FLAT = 1e-9
_GAP_FALLBACK = "gap (no k met Gap(k) >= Gap(k+1) - s_k+1; took the maximum gap)"


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


def _column(out: pd.DataFrame, name: str) -> np.ndarray:
    """A float score column; NaN when the table lacks it (hand-made tables)."""
    if name not in out.columns:
        return np.full(len(out), np.nan)
    return out[name].to_numpy(dtype=np.float64)


def _eligible(out: pd.DataFrame, floor: float, model: str) -> np.ndarray:
    share = _column(out, "smallest_cluster_share")
    eligible = np.full(len(out), True) if floor <= 0 else share >= floor
    if not eligible.any():
        best = int(np.nanargmax(share)) if np.isfinite(share).any() else 0
        raise InputDataError(
            f"model {model}: no k in {out['k'].min()}..{out['k'].max()} is eligible: every k leaves a cluster "
            f"smaller than min_cluster_share={floor} of the rows (largest smallest_cluster_share seen: "
            f"{share[best]:.4g} at k={int(out['k'].iloc[best])}); lower min_cluster_share or the k range "
            "(k_min/k_max) in config.meta"
        )
    return eligible


def _best_among(out: pd.DataFrame, column: str, eligible: np.ndarray) -> int | None:
    values = np.where(eligible, _column(out, column), np.nan)
    if np.isnan(values).all():
        return None
    best = np.nanargmax(values) if _MAXIMISE[column] else np.nanargmin(values)
    return int(out["k"].iloc[best])


def _undefined(column: str, eligible: np.ndarray, floor: float, model: str) -> InputDataError:
    where = "" if eligible.all() else f" that meets min_cluster_share={floor}"
    return InputDataError(
        f"model {model}: {column} is undefined for every k in the grid{where} (fewer than 2 distinct clusters "
        "came out); the features barely vary: check the feature columns or use selection_rule: fixed"
    )


def _fixed(ks: np.ndarray, eligible: np.ndarray, out: pd.DataFrame, chosen: int | None, floor: float,
           model: str) -> int:
    if chosen is None or chosen not in set(ks.tolist()):
        raise SettingsError(
            f"model {model}: setting 'n_clusters'={chosen} is outside the evaluated k grid "
            f"{ks.min()}..{ks.max()} (k_max is capped at n_samples - 1); lower n_clusters or add data "
            "(edit config.meta in the model's YAML)"
        )
    if not eligible[ks == chosen].item():
        share = _column(out, "smallest_cluster_share")[ks == chosen].item()
        raise InputDataError(
            f"model {model}: n_clusters={chosen} leaves a cluster with {share:.4g} of the rows, below "
            f"min_cluster_share={floor}; lower n_clusters or min_cluster_share in config.meta"
        )
    return int(chosen)


def _vote(knee: int | None, eligible_knee: bool, sil: int | None, gap: int) -> tuple[int, str]:
    """Most votes wins; ties go to the silhouette's pick, then to the smallest k."""
    votes = {"elbow": knee if eligible_knee else None, "silhouette": sil, "gap": gap}
    counts = Counter(k for k in votes.values() if k is not None)
    text = ", ".join(f"{name}={'abstain' if k is None else k}" for name, k in votes.items())
    top = max(counts.values())
    tied = sorted(k for k, n in counts.items() if n == top)
    chosen = sil if sil in tied else tied[0]
    return chosen, f"vote: {text} -> {chosen}"


def _apply_rule(out: pd.DataFrame, rule: str, eligible: np.ndarray, picks: dict, n_clusters: int | None,
                floor: float, model: str) -> tuple[int, str]:
    """The chosen k and the text recorded in ``selection_rule``."""
    ks, knee = out["k"].to_numpy(dtype=np.int64), picks["knee"]
    knee_ok = knee is not None and bool(eligible[ks == knee].item())
    if rule == "fixed":
        return _fixed(ks, eligible, out, n_clusters, floor, model), rule
    if rule == "elbow" and knee_ok:
        return knee, rule
    if rule in ("gap", "vote"):
        if picks["gap"] is None:
            raise InputDataError(
                f"model {model}: the gap statistic was not computed (gap_references=0) or is undefined for "
                f"every eligible k; set gap_references >= 1 in config.meta for selection_rule {rule!r}"
            )
        if rule == "gap":
            return picks["gap"], "gap" if picks["gap_met"] else _GAP_FALLBACK
        return _vote(knee, knee_ok, picks["silhouette"], picks["gap"])
    if rule == "stability" and np.isnan(_column(out, "stability")).all():
        raise InputDataError(
            f"model {model}: the stability was not computed (stability_resamples=0); set stability_resamples >= 1 "
            "(or leave it unset: 10 resamples) in config.meta for selection_rule 'stability'"
        )
    column = _CRITERION["silhouette" if rule == "elbow" else rule]
    best = _best_among(out, column, eligible)
    if best is None:
        raise _undefined(column, eligible, floor, model)
    if rule == "elbow":
        why = "no knee found" if knee is None else f"knee k={knee} is not eligible"
        return best, f"elbow ({why}; fell back to silhouette)"
    return best, rule


def choose_k(
    grid: pd.DataFrame,
    rule: str,
    *,
    n_clusters: int | None = None,
    min_cluster_share: float = 0.0,
    model: str = "(unnamed)",
) -> pd.DataFrame:
    """Mark eligibility, the knee, each criterion's pick and the chosen k.

    Parameters
    ----------
    grid : DataFrame
        Output of :func:`~cluster_marts.selection.grid.evaluate_k_grid` (or a
        hand-made table with ``k``, ``inertia`` and the columns the rule
        reads).  Missing ``gap``, ``gap_sd``, ``combined_score`` or
        ``smallest_cluster_share`` columns count as NaN (every k eligible only
        when ``min_cluster_share`` is 0).
    rule : str
        One of :data:`RULES` (see the module docstring).
    n_clusters : int, optional
        The k of rule ``fixed``.
    min_cluster_share : float, default=0.0
        Eligibility floor on ``smallest_cluster_share``.
    model : str, default="(unnamed)"
        dbt model name for error messages.

    Returns
    -------
    DataFrame
        ``grid`` sorted by k plus :data:`CHOICE_COLUMNS`: ``is_eligible``,
        ``is_knee``, ``is_silhouette_best``, ``is_gap_best``,
        ``is_combined_best``, ``is_chosen`` (bool; exactly one True) and
        ``selection_rule`` (str, e.g. ``"vote: elbow=6, silhouette=6, gap=5 -> 6"``).

    Raises
    ------
    SettingsError
        Unknown rule; ``fixed`` with ``n_clusters`` missing or outside the grid.
    InputDataError
        No eligible k; a fixed k that is not eligible; the rule's criterion
        undefined for every eligible k.
    """
    if rule not in RULES:
        raise SettingsError(f"model {model}: selection_rule {rule!r} is not one of {', '.join(RULES)}")
    out = grid.sort_values("k", kind="stable").reset_index(drop=True)
    ks = out["k"].to_numpy(dtype=np.int64)
    eligible = _eligible(out, min_cluster_share, model)
    gap_pick, gap_met = gap_choice(ks, _column(out, "gap"), _column(out, "gap_sd"), eligible)
    picks = {
        "knee": knee_point(ks, _column(out, "inertia")),
        "silhouette": _best_among(out, "silhouette", eligible),
        "combined": _best_among(out, "combined_score", eligible),
        "gap": gap_pick,
        "gap_met": gap_met,
    }
    chosen, label = _apply_rule(out, rule, eligible, picks, n_clusters, min_cluster_share, model)
    flags = {"is_eligible": eligible, "is_knee": ks == picks["knee"],
             "is_silhouette_best": ks == picks["silhouette"], "is_gap_best": ks == picks["gap"],
             "is_combined_best": ks == picks["combined"], "is_chosen": ks == chosen}
    for name, values in flags.items():
        out[name] = pd.Series(np.asarray(values, dtype=bool), dtype="bool")
    out["selection_rule"] = pd.Series([label] * len(out), dtype="str")
    return out
