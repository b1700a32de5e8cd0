"""The lapse evaluation's table and figures (:mod:`benchmarks.lapse_eval`): ROC curves, the score
distribution by outcome, and one planted lapser's timeline."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.metrics import roc_curve  # noqa: E402

__all__ = ["table_rows", "format_table", "plot_roc", "plot_scores_by_label", "plot_lapser_timeline"]

HEADER = ("generator", "N", "scorer", "AUC", "P@5%", "P@10%", "lead (median d)", "flagged lapsers")


def table_rows(runs: list[dict]) -> list[dict]:
    """One row per (generator, N, scorer): the figures of the printed table."""
    rows = []
    for run in runs:
        for scorer, metrics in run["scorers"].items():
            lead = metrics["lead"]
            rows.append({"generator": run["generator"], "horizon_days": run["horizon_days"], "scorer": scorer,
                         "auc": round(metrics["auc"], 3), "p_at_5": round(metrics["p_at_5"], 3),
                         "p_at_10": round(metrics["p_at_10"], 3), "lead_median_days": lead["median_days"],
                         "lead_flagged": lead["flagged"], "lead_eligible": lead["eligible"]})
    return rows


def format_table(runs: list[dict]) -> str:
    """The table, then one line per run with the recipe's precision and recall."""
    cells = [HEADER]
    for row in table_rows(runs):
        lead = "-" if row["lead_median_days"] is None else f"{row['lead_median_days']:.0f}"
        cells.append((row["generator"], str(row["horizon_days"]), row["scorer"], f"{row['auc']:.3f}",
                      f"{row['p_at_5']:.3f}", f"{row['p_at_10']:.3f}", lead,
                      f"{row['lead_flagged']}/{row['lead_eligible']}"))
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append("")
    lines.append("recipe (is_lapsing at the latest snapshot, all customers, vs planted lapsers due by then):")
    for run in runs:
        recipe = run["recipe"]
        precision = "-" if recipe["precision"] is None else f"{recipe['precision']:.2f}"
        recall = "-" if recipe["recall"] is None else f"{recipe['recall']:.2f}"
        lines.append(f"  {run['generator']}, N = {run['horizon_days']} (snapshot {run['latest_snapshot_date']}): "
                     f"{recipe['flagged']} flagged, {recipe['due']} due, {recipe['true_positives']} true: "
                     f"precision {precision}, recall {recall}")
    return "\n".join(lines)


def plot_roc(curves: dict[tuple[str, int], dict], path: Path) -> Path:
    """One panel per (generator, N): the ROC curve of every scorer, its AUC in the legend."""
    keys = sorted(curves)
    fig, axes = plt.subplots(1, len(keys), figsize=(4.2 * len(keys), 4.2), squeeze=False)
    for ax, key in zip(axes[0], keys):
        label = curves[key]["label"].to_numpy()
        for scorer, score in curves[key]["scores"].items():
            fpr, tpr, _ = roc_curve(label, score.to_numpy())
            auc = float((tpr[1:] + tpr[:-1]) @ (fpr[1:] - fpr[:-1]) / 2)
            ax.plot(fpr, tpr, label=f"{scorer} ({auc:.3f})")
        ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
        ax.set(title=f"{key[0]}, no order in {key[1]} days", xlabel="false positive rate",
               ylabel="true positive rate")
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_scores_by_label(curves: dict[tuple[str, int], dict], path: Path) -> Path:
    """One panel per (generator, N): histograms of ``lapse_score`` for customers who ordered in the next
    N days and for those who did not (densities, so the two shapes compare whatever their counts)."""
    keys = sorted(curves)
    fig, axes = plt.subplots(1, len(keys), figsize=(4.2 * len(keys), 3.6), squeeze=False)
    for ax, key in zip(axes[0], keys):
        label = curves[key]["label"].to_numpy().astype(bool)
        score = curves[key]["scores"]["lapse_score"].to_numpy()
        bins = [i / 20 for i in range(21)]
        ax.hist(score[~label], bins=bins, density=True, alpha=0.6, label=f"ordered ({(~label).sum()})")
        ax.hist(score[label], bins=bins, density=True, alpha=0.6, label=f"no order ({label.sum()})")
        ax.set(title=f"{key[0]}, next {key[1]} days", xlabel="lapse_score", ylabel="density")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_lapser_timeline(mart, memberships, customer_id: str, lapse_start, path: Path) -> Path:
    """One lapser over the snapshots: activity-axis memberships (stacked), and lapse_score with the
    snapshots where is_lapsing holds; the planted lapse start as a line."""
    rows = mart[mart["customer_id"] == customer_id].sort_values("snapshot_date")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)
    if len(memberships):
        dates = list(memberships["snapshot_date"])
        matrix = list(zip(*memberships["memberships"]))
        top.stackplot(dates, matrix, labels=[f"segment {i}" for i in range(len(matrix))], alpha=0.8)
        top.legend(loc="upper left", fontsize=7, ncol=len(matrix))
    top.set(title=f"{customer_id}: activity memberships", ylabel="membership", ylim=(0, 1))
    bottom.plot(rows["snapshot_date"], rows["lapse_score"], marker="o", label="lapse_score")
    flagged = rows[rows["is_lapsing"].eq(True)]
    bottom.scatter(flagged["snapshot_date"], flagged["lapse_score"], color="red", zorder=3, label="is_lapsing")
    for ax in (top, bottom):
        ax.axvline(lapse_start, color="grey", linestyle="--", linewidth=1)
    bottom.set(ylabel="P(no order in 90 days)", ylim=(0, 1), xlabel="snapshot (dashed: planted lapse start)")
    bottom.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
