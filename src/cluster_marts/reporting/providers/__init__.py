"""Provider clustering report: figures and a markdown narrative from the marts.

``run_report(db_path, out_dir)`` reads the provider marts from the
DuckDB warehouse (read-only), draws three figures under ``out_dir/figures/``
and writes ``out_dir/provider_clustering.md``. Nothing in the text is fixed
in code: every number and name comes from the marts.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from cluster_marts.warehouse import MartError, read_marts

MARTS: dict[str, tuple[str, ...]] = {
    "provider_scaler_params": ("feature", "method", "center", "scale"),
    "provider_clusters": ("provider_id", "provider_name", "region", "avg_intelligence", "avg_price", "avg_speed",
                          "model_count", "cluster_id", "silhouette", "distance_to_centroid", "run_id"),
    "provider_k_selection": ("k", "inertia", "silhouette", "silhouette_method", "calinski_harabasz",
                             "davies_bouldin", "is_knee", "is_chosen", "selection_rule", "algorithm", "scaling",
                             "random_state", "n_samples", "features", "run_id"),
    "provider_cluster_summary": ("cluster_id", "segment_name", "provider_count", "provider_share", "model_count",
                                 "avg_intelligence", "avg_price", "avg_speed", "intelligence_z", "price_z",
                                 "speed_z", "mean_silhouette"),
    "regional_comparison": ("region", "metric", "model_count", "mean_value", "median_value", "std_value",
                            "n_regions", "kruskal_h", "kruskal_p_value", "epsilon_squared", "alpha", "is_significant"),
}
REPORT_NAME = "provider_clustering.md"
FIGURES = {"elbow": "elbow_plot.png", "silhouette": "silhouette_scores.png",
           "scatter": "provider_cluster_analysis.png"}


def load_marts(db_path: str | Path) -> dict[str, pd.DataFrame]:
    """Read the provider marts (read-only) and check they are present, non-empty and complete."""
    marts = read_marts(db_path, MARTS)
    chosen = int(marts["provider_k_selection"]["is_chosen"].fillna(False).astype(bool).sum())
    if chosen != 1:
        raise MartError(f"mart main.provider_k_selection has {chosen} rows with is_chosen = true, "
                        "expected exactly 1: run `make build` first")
    return marts


def write_report(marts: dict[str, pd.DataFrame], out_dir: str | Path, generated: date | None = None) -> Path:
    """Draw the figures and write the markdown; return the markdown path."""
    from cluster_marts.reporting.providers import figures as fig
    from cluster_marts.reporting.providers.narrative import build_markdown

    out = Path(out_dir)
    fig_dir = out / "figures"
    fig.elbow_plot(marts["provider_k_selection"], fig_dir / FIGURES["elbow"])
    fig.silhouette_plot(marts["provider_k_selection"], fig_dir / FIGURES["silhouette"])
    fig.provider_scatter(marts["provider_clusters"], marts["provider_cluster_summary"],
                         marts["provider_scaler_params"], fig_dir / FIGURES["scatter"])
    links = {key: f"figures/{name}" for key, name in FIGURES.items()}
    generated = generated or datetime.now(UTC).date()
    path = out / REPORT_NAME
    path.write_text(build_markdown(marts, links, generated), encoding="utf-8")
    return path


def run_report(db_path: str | Path, out_dir: str | Path) -> int:
    """CLI entry: write the report; 0 on success, 1 with a message when a mart is missing or empty."""
    try:
        marts = load_marts(db_path)
    except MartError as exc:
        print(f"report failed: {exc}", file=sys.stderr)
        return 1
    path = write_report(marts, out_dir)
    print(f"wrote {path} and {len(FIGURES)} figures under {Path(out_dir) / 'figures'}")
    return 0
