"""Figures of one segmented customer axis: the profile heatmap, the subdivision icicle, the membership histogram.

Every function takes the small aggregate the page queried (a few rows per segment or per bin, never one
row per customer) and returns a matplotlib figure; the page saves it with
:func:`~cluster_marts.reporting.site.plotting.save`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from cluster_marts.reporting.html import fmt
from cluster_marts.reporting.site.plotting import plt

__all__ = ["HIST_BINS", "membership_histogram", "path_key", "profile_heatmap", "subdivision_icicle", "tree_counts"]

#: bins of the max-membership histogram over [0, 1] (the SQL groups by ``floor(max_membership * HIST_BINS)``)
HIST_BINS = 50
SETTLED, TRANSITIONING, THRESHOLD = "#4c78a8", "#f58518", "#c62828"


def path_key(path: str) -> tuple[int, ...]:
    """A segment path such as ``'2.10.1'`` as a tuple of ints, so ``'2.10'`` sorts after ``'2.9'``."""
    return tuple(int(part) for part in str(path).split("."))


def standardised(means: pd.DataFrame) -> pd.DataFrame:
    """Each column (feature) of a segments x features table of means as z-scores across the segments
    (0 where a feature does not vary), so colours compare between features of different scales."""
    spread = means.std(axis=0, ddof=0).replace(0.0, np.nan)
    return ((means - means.mean(axis=0)) / spread).fillna(0.0)


def profile_heatmap(profiles: pd.DataFrame, axis: str, method: str):
    """Top-level segments x features: colour is the feature mean standardised across segments, the text
    the raw mean; the row labels carry the segment sizes.

    ``profiles`` has one row per segment and feature: ``segment_id``, ``feature``, ``size``, ``mean``.
    """
    means = profiles.pivot(index="segment_id", columns="feature", values="mean").sort_index()
    sizes = profiles.groupby("segment_id")["size"].max().reindex(means.index)
    z = standardised(means)
    limit = max(1.0, float(np.nanmax(np.abs(z.to_numpy()))))
    n_seg, n_feat = means.shape
    fig, ax = plt.subplots(figsize=(10.0, max(2.8, 0.5 * n_seg + 2.0)))
    image = ax.imshow(z.to_numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    for i in range(n_seg):
        for j in range(n_feat):
            value = means.iat[i, j]
            colour = "white" if abs(z.iat[i, j]) > 0.6 * limit else "black"
            ax.text(j, i, fmt(float(value)) if pd.notna(value) else "n/a", ha="center", va="center",
                    fontsize=8, color=colour)
    ax.set_xticks(range(n_feat), means.columns, rotation=30, ha="right", fontsize=9)
    ax.set_yticks(range(n_seg), [f"segment {s} (n={fmt(int(n))})" for s, n in zip(means.index, sizes)], fontsize=9)
    ax.set_xlabel("feature (text: mean of the segment's customers)")
    ax.set_ylabel("top-level segment")
    ax.set_title(f"{axis} ({method}): segment profiles")
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("z-score across segments", fontsize=9)
    fig.tight_layout()
    return fig


def tree_counts(leaves: pd.DataFrame) -> dict[tuple[int, ...], int]:
    """Customers of every node of the segment tree (top-level segments, intermediate and leaf subsegments)
    from the customers per leaf path (``segment_path``, ``customers``): a node counts its leaves."""
    counts: dict[tuple[int, ...], int] = {}
    for path, n in zip(leaves["segment_path"], leaves["customers"]):
        key = path_key(path)
        for depth in range(1, len(key) + 1):
            counts[key[:depth]] = counts.get(key[:depth], 0) + int(n)
    return counts


def _node_label(node: tuple[int, ...], n: int, share: float) -> str:
    path = ".".join(map(str, node))
    if share >= 0.07:
        return f"{path}\n{fmt(n)}"
    return path if share >= 0.03 else ""


def subdivision_icicle(leaves: pd.DataFrame, axis: str, method: str):
    """An icicle of the segment tree: the top row is the top-level segments (before subdivision), each row
    below splits a segment into its subsegments; widths are customer counts, labels ``path`` and count.

    ``leaves`` has one row per leaf segment path with ``customers``.
    """
    counts = tree_counts(leaves)
    total = sum(n for node, n in counts.items() if len(node) == 1)
    levels = max(len(node) for node in counts)
    palette = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(10.0, 0.85 * levels + 1.6))
    starts: dict[tuple[int, ...], float] = {}
    for node in sorted(counts, key=lambda k: (len(k), k)):
        parent = node[:-1]
        if parent:
            siblings = sorted(k for k in counts if len(k) == len(node) and k[:-1] == parent)
            x0 = starts[parent] + sum(counts[k] for k in siblings if k < node)
        else:
            x0 = sum(counts[k] for k in counts if len(k) == 1 and k < node)
        starts[node] = x0
        depth = len(node) - 1
        colour = palette(node[0] % 10)
        ax.add_patch(Rectangle((x0, depth), counts[node], 0.92, facecolor=colour, alpha=1.0 - 0.22 * min(depth, 3),
                               edgecolor="white", linewidth=1.5))
        label = _node_label(node, counts[node], counts[node] / total)
        if label:
            ax.text(x0 + counts[node] / 2, depth + 0.46, label, ha="center", va="center", fontsize=8)
    ax.set_xlim(0, total)
    ax.set_ylim(levels, 0)
    ax.set_yticks([d + 0.46 for d in range(levels)],
                  ["top level\n(before subdivision)"] + [f"depth {d}" for d in range(1, levels)], fontsize=9)
    ax.set_xlabel("customers")
    ax.set_title(f"{axis} ({method}): segment sizes before and after subdivision")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def membership_histogram(bins: pd.DataFrame, threshold: float | None, axis: str, method: str):
    """Histogram of each customer's dominant (max) membership, transitioning customers stacked in their
    own colour, with the transition threshold as a vertical line when the marts reveal it.

    ``bins`` has ``bin`` (0 .. HIST_BINS - 1), ``is_transitioning`` and ``customers``.
    """
    width = 1.0 / HIST_BINS
    fig, ax = plt.subplots(figsize=(6.0, 4.0))
    bottom = np.zeros(HIST_BINS)
    for flag, colour, name in ((False, SETTLED, "settled"), (True, TRANSITIONING, "transitioning")):
        part = bins[bins["is_transitioning"] == flag]
        heights = np.zeros(HIST_BINS)
        heights[part["bin"].astype(int).to_numpy()] = part["customers"].to_numpy()
        total = int(heights.sum())
        ax.bar(np.arange(HIST_BINS) * width, heights, width=width, bottom=bottom, align="edge", color=colour,
               edgecolor="white", linewidth=0.3, label=f"{name}: {fmt(total)} customers")
        bottom += heights
    if threshold is not None:
        ax.axvline(threshold, color=THRESHOLD, linestyle="--", linewidth=1.5,
                   label=f"transition threshold {threshold:g}")
    low = int(bins["bin"].min()) if len(bins) else 0
    ax.set_xlim(max(0.0, (low - 1) * width), 1.0)
    ax.set_xlabel("dominant (max) membership")
    ax.set_ylabel("customers")
    ax.set_title(f"{axis} ({method}): membership of the dominant segment", fontsize=11)
    ax.legend(loc="upper left", fontsize=9, frameon=False)
    fig.tight_layout()
    return fig
