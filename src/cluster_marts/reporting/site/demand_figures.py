"""The figures of the demand page, drawn from frames the page reads from the marts.

- :func:`k_selection_figure`: inertia with the knee, silhouette, the gap statistic with its error bars s_k,
  and which k each criterion voted for (``dfu_k_selection``);
- :func:`cluster_curves_figure`: one small panel per cluster, the median and the interquartile band of its
  members' normalised monthly demand (each DFU's demand over its own mean in the window);
- :func:`label_counts_figure`: DFUs per label (``dfu_cluster_labels``).

Every function writes a PNG under ``figures/demand/`` and returns the relative path the page links to.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from cluster_marts.reporting.site.plotting import plt, save

__all__ = ["PAGE", "VOTES", "cluster_curves_figure", "k_selection_figure", "label_counts_figure"]

PAGE = "demand"
#: flag column of dfu_k_selection -> the criterion it marks, as the votes panel names it
VOTES: dict[str, str] = {"is_knee": "elbow (knee)", "is_silhouette_best": "best silhouette",
                         "is_gap_best": "gap rule", "is_combined_best": "combined score",
                         "is_chosen": "chosen k"}
CHOSEN = "#c62828"
LINE = "#1565c0"


def _mark_chosen(ax, chosen_k: int | None) -> None:
    if chosen_k is not None:
        ax.axvline(chosen_k, color=CHOSEN, linestyle=":", linewidth=1.2, label=f"chosen k = {chosen_k}")


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#666")


def _metric_panel(ax, ks: pd.DataFrame, column: str, flag: str, title: str, ylabel: str,
                  chosen_k: int | None) -> None:
    """One criterion against k, the k its flag marks circled."""
    ax.set_title(title)
    ax.set_xlabel("k (number of clusters)")
    ax.set_ylabel(ylabel)
    if ks[column].isna().all():
        _empty(ax, f"{column} not computed")
        return
    ax.plot(ks["k"], ks[column], marker="o", color=LINE, label=column)
    picked = ks[ks[flag].fillna(False).astype(bool)]
    ax.scatter(picked["k"], picked[column], s=160, facecolors="none", edgecolors="#2e7d32", linewidths=2,
               zorder=3, label=VOTES[flag])
    _mark_chosen(ax, chosen_k)
    ax.legend(fontsize=8)


def _gap_panel(ax, ks: pd.DataFrame, chosen_k: int | None) -> None:
    ax.set_title("Gap statistic with s_k")
    ax.set_xlabel("k (number of clusters)")
    ax.set_ylabel("Gap(k)")
    if ks["gap"].isna().all():
        _empty(ax, "gap not computed")
        return
    ax.errorbar(ks["k"], ks["gap"], yerr=ks["gap_sd"].fillna(0), marker="o", color=LINE, capsize=3,
                label="Gap(k) ± s_k")
    picked = ks[ks["is_gap_best"].fillna(False).astype(bool)]
    ax.scatter(picked["k"], picked["gap"], s=160, facecolors="none", edgecolors="#2e7d32", linewidths=2,
               zorder=3, label=VOTES["is_gap_best"])
    _mark_chosen(ax, chosen_k)
    ax.legend(fontsize=8)


def _votes_panel(ax, ks: pd.DataFrame) -> None:
    """One row per criterion, a dot at the k it picked (none: the criterion picked no k)."""
    names = list(VOTES.values())
    for row, flag in enumerate(VOTES):
        picked = ks.loc[ks[flag].fillna(False).astype(bool), "k"]
        colour = CHOSEN if flag == "is_chosen" else "#2e7d32"
        if len(picked):
            ax.scatter(picked, [row] * len(picked), s=90, color=colour, zorder=3)
            for k in picked:
                ax.annotate(str(int(k)), (k, row), textcoords="offset points", xytext=(8, -4), fontsize=9)
        else:
            ax.text(ks["k"].min(), row, "none", va="center", fontsize=9, color="#666")
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xticks(ks["k"].astype(int).tolist())
    ax.set_xlim(ks["k"].min() - 0.5, ks["k"].max() + 1)
    ax.grid(axis="x", color="#eee")
    ax.set_title("Which k each criterion picked")
    ax.set_xlabel("k (number of clusters)")


def k_selection_figure(ks: pd.DataFrame, out_dir: Path) -> str:
    """Four panels of ``dfu_k_selection`` (one row per k): inertia, silhouette, gap, votes."""
    ks = ks.sort_values("k")
    chosen = ks.loc[ks["is_chosen"].fillna(False).astype(bool), "k"]
    chosen_k = int(chosen.iloc[0]) if len(chosen) else None
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5))
    _metric_panel(axes[0, 0], ks, "inertia", "is_knee", "Inertia (elbow)", "inertia (within-cluster SS)", chosen_k)
    _metric_panel(axes[0, 1], ks, "silhouette", "is_silhouette_best", "Silhouette", "mean silhouette", chosen_k)
    _gap_panel(axes[1, 0], ks, chosen_k)
    _votes_panel(axes[1, 1], ks)
    for ax in axes.flat[:3]:
        ax.set_xticks(ks["k"].astype(int).tolist())
    fig.suptitle("Choosing k for the DFU clustering", fontsize=13)
    fig.tight_layout()
    return save(fig, out_dir, PAGE, "k_selection")


def cluster_curves_figure(curves: pd.DataFrame, clusters: pd.DataFrame, out_dir: Path) -> str:
    """Small multiples: per cluster the median (line) and 25th-75th percentile (band) of normalised demand.

    Parameters
    ----------
    curves
        One row per cluster and month: ``cluster_id``, ``sales_month``, ``q25``, ``median``, ``q75``.
    clusters
        One row per cluster: ``cluster_id``, ``cluster_assignment`` (the label, unique per cluster) and
        ``dfu_count``, in the order to draw.
    """
    n = len(clusters)
    cols = min(3, max(n, 1))
    rows = max(1, math.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3 * rows + 0.6), sharex=True, sharey=True,
                             squeeze=False)
    months = pd.to_datetime(curves["sales_month"]) if len(curves) else pd.Series(dtype="datetime64[ns]")
    for ax, (_, cluster) in zip(axes.flat, clusters.iterrows()):
        own = curves[curves["cluster_id"] == cluster["cluster_id"]]
        x = months[own.index]
        ax.fill_between(x, own["q25"], own["q75"], color=LINE, alpha=0.25, linewidth=0, label="25th-75th pct")
        ax.plot(x, own["median"], color=LINE, linewidth=1.8, label="median")
        ax.axhline(1.0, color="#888", linestyle="--", linewidth=0.8)
        ax.set_title(f"{cluster['cluster_assignment']} ({int(cluster['dfu_count'])} DFUs)", fontsize=10)
        ax.grid(color="#eee")
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("demand / DFU's mean")
    distinct = sorted(months.unique())
    ticks = distinct[::max(1, math.ceil(len(distinct) / 8))]
    for ax in axes.flat[:n]:
        ax.set_xticks(ticks)
        ax.tick_params(axis="x", labelbottom=True, labelsize=8, rotation=45)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %y"))
    if n:
        axes.flat[0].legend(fontsize=8, loc="upper left")
    fig.suptitle("Normalised monthly demand per cluster: median and interquartile band of its DFUs", fontsize=12)
    fig.tight_layout()
    return save(fig, out_dir, PAGE, "cluster_curves")


def label_counts_figure(labels: pd.DataFrame, out_dir: Path) -> str:
    """Horizontal bars: DFUs per ``cluster_label`` (columns ``cluster_label``, ``dfu_count``)."""
    labels = labels.sort_values(["dfu_count", "cluster_label"], ascending=[True, False])
    fig, ax = plt.subplots(figsize=(11, 0.35 * len(labels) + 1.2))
    bars = ax.barh(labels["cluster_label"], labels["dfu_count"], color=LINE)
    ax.bar_label(bars, labels=[str(int(v)) for v in labels["dfu_count"]], padding=3, fontsize=9)
    ax.set_xlabel("DFUs")
    ax.set_xlim(0, float(np.nanmax(labels["dfu_count"], initial=0)) * 1.12 + 1)
    ax.set_title("DFUs per label")
    fig.tight_layout()
    return save(fig, out_dir, PAGE, "label_counts")
