"""Providers: the provider clustering report as a page, with the regions' distributions drawn.

The k-selection panel (inertia with the knee, silhouette), the PCA scatter with labels and centroids,
the segment table and profiles, the regional comparison with its Kruskal-Wallis test, and the members
and insights: the narrative of :mod:`cluster_marts.reporting.providers` (``make report`` used to write it
as markdown), rendered here. Added on the page: box plots of every model's intelligence, price and speed
per region (``int_ai_models_regioned``, the rows the test ran on), so a reader sees what the test
compares.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from cluster_marts.reporting.html import figure, figure_grid, markdown, section
from cluster_marts.reporting.providers import MARTS as REPORT_MARTS
from cluster_marts.reporting.site.data import Marts
from cluster_marts.reporting.site.plotting import plt, save

__all__ = ["DOMAIN", "FILE", "MARTS", "REGION_METRICS", "TITLE", "build", "region_boxplots"]

TITLE = "Providers"
#: the domain of var ``cluster_marts_domains`` the page shows: written only when it is on
DOMAIN = "providers"
FILE = "providers.html"
MARTS: tuple[str, ...] = (*REPORT_MARTS, "int_ai_models_regioned")
#: model column -> (metric name in regional_comparison, axis label)
REGION_METRICS = {"intelligence_index": ("intelligence", "intelligence index"),
                  "blended_price_usd": ("price", "blended price (USD per 1M tokens, log scale)"),
                  "median_output_speed": ("speed", "median output speed (tokens/s)")}


def region_boxplots(models: pd.DataFrame, comparison: pd.DataFrame, out_dir: Path) -> str:
    """One box plot per metric of the models by region, titled with the test's p-value; the figure's path."""
    regions = sorted(models["region"].dropna().unique())
    fig, axes = plt.subplots(1, len(REGION_METRICS), figsize=(13, 4.2))
    for ax, (column, (metric, label)) in zip(np.atleast_1d(axes), REGION_METRICS.items()):
        groups = [models.loc[models["region"] == r, column].dropna().to_numpy() for r in regions]
        ax.boxplot(groups, tick_labels=[f"{r}\n(n = {len(g)})" for r, g in zip(regions, groups)], showmeans=True)
        if column == "blended_price_usd":
            ax.set_yscale("log")
        test = comparison[comparison["metric"] == metric]
        if len(test):
            row = test.iloc[0]
            verdict = "differs" if bool(row["is_significant"]) else "no significant difference"
            ax.set_title(f"{metric}\nKruskal-Wallis p = {row['kruskal_p_value']:.3g} ({verdict})", fontsize=9)
        ax.set_ylabel(label, fontsize=8)
        ax.tick_params(labelsize=8)
    fig.suptitle("Every model's value by its creator's region (triangle = mean)", fontweight="bold")
    return save(fig, out_dir, "providers", "region_boxplots")


def build(marts: Marts, out_dir: Path) -> str:
    """The page body: the report narrative with its figures, then the regional box plots."""
    from cluster_marts.reporting.providers import figures as fig
    from cluster_marts.reporting.providers.narrative import build_markdown

    frames = {name: marts.df(f"select * from {name}") for name in REPORT_MARTS}
    ks = frames["provider_k_selection"]
    if int(ks["is_chosen"].fillna(False).astype(bool).sum()) != 1:
        return ('<p class="warning">provider_k_selection does not have exactly one chosen k: rebuild the '
                "providers with <code>make build</code>.</p>")
    folder = Path(out_dir) / "figures" / "providers"
    links = {"elbow": "figures/providers/elbow_plot.png", "silhouette": "figures/providers/silhouette_scores.png",
             "scatter": "figures/providers/provider_cluster_analysis.png"}
    fig.elbow_plot(ks, folder / "elbow_plot.png")
    fig.silhouette_plot(ks, folder / "silhouette_scores.png")
    fig.provider_scatter(frames["provider_clusters"], frames["provider_cluster_summary"],
                         frames["provider_scaler_params"], folder / "provider_cluster_analysis.png")
    text = build_markdown(frames, links, datetime.now(UTC).date())
    body = markdown(text.split("\n", 1)[1])  # the page has its own title
    models = marts.df("select region, " + ", ".join(REGION_METRICS) + " from int_ai_models_regioned")
    boxes = region_boxplots(models, frames["regional_comparison"], out_dir)
    regional = section("Regional distributions", figure_grid([figure(
        boxes, "box plots of intelligence, price and speed per region",
        "Each box spans the middle half of the region's models, the line is the median, the triangle the mean; "
        "the title gives the Kruskal-Wallis test of the regional comparison.", wide=True)]), "regions")
    return f'<div class="report">{body}</div>{regional}'
