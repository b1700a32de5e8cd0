"""The k-selection panel of any domain: every k-selection mart has one schema
(``models/marts/_k_selection__models.yml``).

Four panels: inertia with the knee, silhouette with its best k, the gap statistic with its error bars s_k,
and which k each criterion voted for, the chosen k marked on each. The demand page shows it; every fit
logged to MLflow carries it (:mod:`cluster_marts.reporting.tracking`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cluster_marts.reporting.site.plotting import plt, save_to

__all__ = ["K_SELECTION_MARTS", "VOTES", "draw", "k_selection_panel"]

#: domain -> its k-selection mart (the chosen row of each fit is the fit behind the domain's marts)
K_SELECTION_MARTS = {"providers": "provider_k_selection", "demand": "dfu_k_selection",
                     "customers": "customer_k_selection"}

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


def draw(ks: pd.DataFrame, title: str):
    """The four panels of a k-selection table (one row per k) as a matplotlib figure."""
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
    fig.suptitle(title, fontsize=13)
    fig.tight_layout()
    return fig


def k_selection_panel(ks: pd.DataFrame, path: Path) -> Path:
    """Draw the panel of one fit's k-selection rows into ``path`` (titled by its domain axis and method)."""
    first = ks.iloc[0]
    axis = f" / {first['axis']}" if "axis" in ks.columns and pd.notna(first["axis"]) else ""
    return save_to(draw(ks, f"Choosing k: {first['algorithm']}{axis}, run {first['run_id']}"), path)


