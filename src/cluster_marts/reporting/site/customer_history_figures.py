"""Figures of the customers' snapshot history: segment transitions, drift severities, one customer's timeline.

Each function takes a small aggregate the page queried and returns a matplotlib figure.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cluster_marts.reporting.html import fmt
from cluster_marts.reporting.site.plotting import plt

__all__ = ["SEVERITY_COLOURS", "drift_severities", "membership_timeline", "transition_heatmap"]

#: colours of the severity bands (seeds/drift_severity_bands.csv); a band not named here is grey
SEVERITY_COLOURS = {"STABLE": "#8fbf8f", "MINOR": "#f2d16b", "MODERATE": "#f29e4c", "SIGNIFICANT": "#e0563b",
                    "MAJOR": "#8e1b1b"}


def transition_heatmap(moves: pd.DataFrame, axis: str, period: str):
    """Dominant segment at the period start (rows) x at its end (columns): colour is the row share, the
    text the customer count and share.

    ``moves`` has ``from_segment_id``, ``to_segment_id`` and ``customers``.
    """
    segments = sorted(set(moves["from_segment_id"]) | set(moves["to_segment_id"]))
    counts = (moves.pivot_table(index="from_segment_id", columns="to_segment_id", values="customers", aggfunc="sum")
              .reindex(index=segments, columns=segments).fillna(0).astype(int))
    totals = counts.sum(axis=1).replace(0, np.nan)
    shares = counts.div(totals, axis=0).fillna(0.0)
    size = max(3.6, 0.75 * len(segments) + 2.2)
    fig, ax = plt.subplots(figsize=(size + 1.2, size))
    image = ax.imshow(shares.to_numpy(), cmap="Blues", vmin=0.0, vmax=1.0)
    for i in range(len(segments)):
        for j in range(len(segments)):
            n, share = counts.iat[i, j], shares.iat[i, j]
            ax.text(j, i, f"{fmt(int(n))}\n{share:.0%}", ha="center", va="center", fontsize=8,
                    color="white" if share > 0.6 else "black")
    ax.set_xticks(range(len(segments)), segments)
    ax.set_yticks(range(len(segments)), [f"{s} (n={fmt(int(counts.loc[s].sum()))})" for s in segments])
    ax.set_xlabel("dominant segment at the period end")
    ax.set_ylabel("dominant segment at the period start")
    ax.set_title(f"{axis}: segment transitions {period}", fontsize=10)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04).set_label("share of the row")
    fig.tight_layout()
    return fig


def drift_severities(counts: pd.DataFrame, axes: list[str], ageing: set[str]):
    """Small multiples, one per axis: customers per drift severity (stacked, in severity order) at each
    snapshot; axes whose severity discounts expected ageing say so in their title.

    ``counts`` has ``axis``, ``snapshot_date``, ``severity``, ``severity_rank`` and ``customers``.
    """
    order = (counts.groupby("severity")["severity_rank"].min().sort_values().index.tolist())
    ncols = 2 if len(axes) > 1 else 1
    nrows = math.ceil(len(axes) / ncols)
    fig, grid = plt.subplots(nrows, ncols, figsize=(11.0, 2.9 * nrows + 1.0), squeeze=False, layout="constrained")
    for panel, axis in zip(grid.flat, axes):
        pivot = (counts[counts["axis"] == axis]
                 .pivot_table(index="snapshot_date", columns="severity", values="customers", aggfunc="sum")
                 .reindex(columns=order).fillna(0))
        labels = [pd.Timestamp(d).strftime("%Y-%m-%d") for d in pivot.index]
        bottom = np.zeros(len(pivot))
        for severity in order:
            panel.bar(range(len(pivot)), pivot[severity].to_numpy(), bottom=bottom, width=0.8,
                      color=SEVERITY_COLOURS.get(severity, "#9e9e9e"), label=severity)
            bottom += pivot[severity].to_numpy()
        panel.set_xticks(range(len(pivot)), labels, rotation=45, ha="right", fontsize=7)
        panel.set_ylabel("customers", fontsize=8)
        panel.tick_params(axis="y", labelsize=7)
        note = " (ageing-adjusted)" if axis in ageing else ""
        panel.set_title(f"{axis}{note}", fontsize=10)
    for panel in list(grid.flat)[len(axes):]:
        panel.set_visible(False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=SEVERITY_COLOURS.get(s, "#9e9e9e")) for s in order]
    fig.legend(handles, order, loc="outside upper center", ncol=len(order), frameon=False, fontsize=9)
    return fig


def membership_timeline(history: pd.DataFrame, customer_id: str, axis: str):
    """One customer's memberships of each ``axis`` segment over the snapshots (stacked areas), the lapse
    score on a second axis, and a marker at every snapshot where the customer was flagged as lapsing.

    ``history`` has ``snapshot_date``, ``memberships`` (a list per snapshot, indexed by segment id, or
    missing), ``lapse_score`` and ``is_lapsing``, one row per snapshot in date order.
    """
    dates = pd.to_datetime(history["snapshot_date"]).to_numpy()
    lists = [np.asarray(m, dtype=float) if m is not None and not (isinstance(m, float) and math.isnan(m))
             else None for m in history["memberships"]]
    k = max((len(m) for m in lists if m is not None), default=0)
    fig, ax = plt.subplots(figsize=(9.0, 3.8))
    if k:
        stack = np.array([m if m is not None and len(m) == k else np.full(k, np.nan) for m in lists]).T
        colours = plt.get_cmap("tab10")
        ax.stackplot(dates, np.nan_to_num(stack), labels=[f"{axis} segment {j}" for j in range(k)],
                     colors=[colours(j % 10) for j in range(k)], alpha=0.55)
    ax.set_ylim(0, 1)
    ax.set_ylabel(f"membership ({axis} segments)")
    ax.set_xlabel("snapshot date")
    right = ax.twinx()
    score = history["lapse_score"].astype(float).to_numpy()
    right.plot(dates, score, color="black", marker="o", markersize=3.5, linewidth=1.5, label="lapse score")
    flagged = history["is_lapsing"].fillna(False).astype(bool).to_numpy()
    if flagged.any():
        right.scatter(dates[flagged], score[flagged], marker="X", s=70, color="#c62828", zorder=5,
                      label="flagged as lapsing")
    right.set_ylim(0, 1.02)
    right.set_ylabel("lapse score")
    handles, names = ax.get_legend_handles_labels()
    more, more_names = right.get_legend_handles_labels()
    ax.legend(handles + more, names + more_names, loc="upper center", bbox_to_anchor=(0.5, -0.28),
              ncol=min(4, len(names + more_names)), frameon=False, fontsize=8)
    ax.set_title(f"Customer {customer_id}: {axis} memberships and lapse score")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
