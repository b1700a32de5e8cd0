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

from cluster_marts.reporting.site.k_selection import draw as draw_k_selection
from cluster_marts.reporting.site.plotting import plt, save

__all__ = ["PAGE", "cluster_curves_figure", "k_selection_figure", "label_counts_figure"]

PAGE = "demand"
LINE = "#1565c0"


def k_selection_figure(ks: pd.DataFrame, out_dir: Path) -> str:
    """The k-selection panel of ``dfu_k_selection`` (:func:`~cluster_marts.reporting.site.k_selection.draw`)."""
    return save(draw_k_selection(ks, "Choosing k for the DFU clustering"), out_dir, PAGE, "k_selection")


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
