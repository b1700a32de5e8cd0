"""Figures of one workbench spec (matplotlib, Agg backend).

Each function takes the spec's rows of a workbench mart, writes one PNG and
returns its path. The maths (2-D projection, silhouette, preprocessing) comes
from the engine and the marts; this module only draws, except the dendrogram,
whose linkage is computed here from the engine's prepared matrix.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.cluster.hierarchy import dendrogram, linkage  # noqa: E402

from cluster_marts.reporting.providers.figures import DPI, save_figure  # noqa: E402  (one PNG writer for every report)

__all__ = ["scatter_plot", "silhouette_plot", "heatmap_plot", "dendrogram_plot", "DPI", "DENDROGRAM_LEAVES",
           "DENDROGRAM_MAX_ROWS"]

DENDROGRAM_LEAVES = 30
DENDROGRAM_MAX_ROWS = 3000  # linkage is O(n^2) in memory: larger data is drawn from a seeded sample
NOISE_COLOR = "#b0b0b0"
ANNOTATE_MAX_CELLS = 240


def _colors(n: int) -> list[tuple[float, float, float, float]]:
    cmap = plt.get_cmap("tab10" if n <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(n)]



def scatter_plot(assign: pd.DataFrame, spec_name: str, projection: str, path: Path) -> Path:
    """Rows at (x_2d, y_2d) coloured by cluster; noise in grey, flagged outliers ringed in black.

    Parameters
    ----------
    assign : DataFrame
        The spec's rows of ``workbench_assignments``.
    spec_name : str
    projection : str
        How x_2d / y_2d were made (axis labels), e.g. ``"PCA"``.
    path : Path
        PNG to write.
    """
    fig, ax = plt.subplots(figsize=(8.5, 6.5))
    noise = assign["is_noise"].astype(bool).to_numpy()
    ids = sorted(assign.loc[~noise, "cluster_id"].unique())
    for cid, color in zip(ids, _colors(len(ids))):
        rows = assign[(assign["cluster_id"] == cid).to_numpy() & ~noise]
        ax.scatter(rows["x_2d"], rows["y_2d"], s=22, color=color, alpha=0.8, edgecolor="white", lw=0.4,
                   label=f"cluster {cid} (n = {len(rows)})")
    if noise.any():
        rows = assign[noise]
        ax.scatter(rows["x_2d"], rows["y_2d"], s=14, color=NOISE_COLOR, marker="o", alpha=0.8,
                   label=f"noise (n = {len(rows)})")
    out = assign[assign["is_outlier"].astype(bool)]
    if len(out):
        ax.scatter(out["x_2d"], out["y_2d"], s=90, facecolor="none", edgecolor="black", lw=1.2,
                   label=f"flagged outlier (n = {len(out)})", zorder=3)
    ax.axhline(0, color="lightgray", lw=0.6, zorder=0)
    ax.axvline(0, color="lightgray", lw=0.6, zorder=0)
    ax.set(xlabel=f"{projection} component 1", ylabel=f"{projection} component 2")
    fig.suptitle(f"{spec_name}: clusters in 2-D", fontweight="bold")
    ax.set_title(f"{len(assign)} rows, {len(ids)} clusters; 2-D {projection} of the prepared matrix",
                 fontsize=8, color="dimgray")
    ax.legend(fontsize=8, loc="best", framealpha=0.85)
    ax.grid(alpha=0.25)
    return save_figure(fig, path)


def silhouette_plot(assign: pd.DataFrame, spec_name: str, path: Path) -> Path:
    """Classic silhouette plot: per cluster, the rows' silhouettes sorted as bars; dashed mean line.

    Parameters
    ----------
    assign : DataFrame
        The spec's rows of ``workbench_assignments`` (``silhouette`` NaN for noise).
    spec_name : str
    path : Path
        PNG to write.
    """
    rows = assign[~assign["is_noise"].astype(bool) & assign["silhouette"].notna()]
    ids = sorted(rows["cluster_id"].unique())
    fig, ax = plt.subplots(figsize=(8, max(4.5, min(10.0, 3 + 0.012 * len(rows)))))
    gap = max(2, len(rows) // 40)
    y = gap
    for cid, color in zip(ids, _colors(len(ids))):
        values = np.sort(rows.loc[rows["cluster_id"] == cid, "silhouette"].to_numpy(dtype=np.float64))
        ax.fill_betweenx(np.arange(y, y + len(values)), 0, values, facecolor=color, edgecolor=color, alpha=0.85)
        ax.text(-0.03, y + len(values) / 2, str(cid), ha="right", va="center", fontsize=9)
        y += len(values) + gap
    if len(rows):
        mean = float(rows["silhouette"].mean())
        ax.axvline(mean, color="tab:red", ls="--", lw=1.2, label=f"mean silhouette = {mean:.3f}")
        ax.legend(fontsize=8, loc="lower right")
    else:
        ax.text(0.5, 0.5, "silhouette undefined (fewer than two clusters)", ha="center", va="center",
                transform=ax.transAxes)
    low = min(-0.1, float(rows["silhouette"].min()) - 0.05) if len(rows) else -0.1
    ax.set(xlim=(low, 1.0), ylim=(0, max(y, 1)), yticks=[], xlabel="silhouette coefficient",
           ylabel="rows, grouped by cluster")
    ax.axvline(0, color="black", lw=0.6)
    n_noise = int(assign["is_noise"].astype(bool).sum())
    fig.suptitle(f"{spec_name}: silhouette per row", fontweight="bold")
    note = f"; {n_noise} noise rows left out" if n_noise else ""
    ax.set_title(f"{len(rows)} rows in {len(ids)} clusters{note}", fontsize=8, color="dimgray")
    ax.grid(axis="x", alpha=0.25)
    return save_figure(fig, path)


def heatmap_plot(centres: pd.DataFrame, spec_name: str, path: Path) -> Path:
    """Cluster profiles: mean scaled value of every feature (rows clusters, columns features).

    Parameters
    ----------
    centres : DataFrame
        The spec's rows of ``workbench_centres``.
    spec_name : str
    path : Path
        PNG to write.
    """
    features = list(dict.fromkeys(centres["feature"]))
    grid = centres.pivot(index="cluster_id", columns="feature", values="value_scaled").loc[:, features]
    values = grid.to_numpy(dtype=np.float64)
    limit = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 0.0
    limit = limit if limit > 0 else 1.0
    width = min(18.0, max(6.5, 1.6 + 0.62 * len(features)))
    fig, ax = plt.subplots(figsize=(width, max(3.2, 1.6 + 0.5 * len(grid))))
    image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(len(features)), features, rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(len(grid)), [f"cluster {c}" for c in grid.index], fontsize=9)
    if values.size <= ANNOTATE_MAX_CELLS:
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if abs(v) > 0.6 * limit else "black")
    fig.colorbar(image, ax=ax, label="mean scaled value", shrink=0.9)
    fig.suptitle(f"{spec_name}: cluster profiles", fontweight="bold")
    ax.set_title("member mean of every feature after scaling (0 = overall mean); red high, blue low",
                 fontsize=8, color="dimgray")
    return save_figure(fig, path)


def dendrogram_plot(X: np.ndarray, ids: np.ndarray, method: str, n_clusters: int, spec_name: str, path: Path,
                    random_state: int = 0) -> Path:
    """Hierarchical merge tree of the prepared matrix, truncated to the last :data:`DENDROGRAM_LEAVES` merges.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_dims)
        The engine's prepared matrix (:func:`~cluster_marts.preprocessing.prepare.prepare`).
    ids : ndarray of shape (n_samples,)
        Row ids, shown for leaves that are single rows.
    method : str
        The spec's linkage (``ward``, ``complete``, ``average``, ``single``).
    n_clusters : int
        Clusters of the run; the tree is cut (dashed line) where it has that many branches.
    spec_name : str
    path : Path
    random_state : int, default=0
        Seed of the row sample drawn when ``X`` has more than :data:`DENDROGRAM_MAX_ROWS` rows.
    """
    X, ids = np.asarray(X, dtype=np.float64), np.asarray(ids).astype(str)
    sampled = X.shape[0] > DENDROGRAM_MAX_ROWS
    if sampled:
        rng = np.random.default_rng(random_state)
        keep = np.sort(rng.choice(X.shape[0], DENDROGRAM_MAX_ROWS, replace=False))
        X, ids = X[keep], ids[keep]
    Z = linkage(X, method=method)
    cut = None
    if 2 <= n_clusters <= len(Z):
        cut = float((Z[-n_clusters, 2] + Z[-n_clusters + 1, 2]) / 2)
    fig, ax = plt.subplots(figsize=(10, 5.5))
    dendrogram(Z, truncate_mode="lastp", p=DENDROGRAM_LEAVES, show_contracted=True, ax=ax,
               color_threshold=cut if cut is not None else 0.7 * float(Z[:, 2].max()),
               above_threshold_color="dimgray", leaf_font_size=8, labels=ids.tolist())
    if cut is not None:
        ax.axhline(cut, color="tab:red", ls="--", lw=1, label=f"cut into {n_clusters} clusters")
        ax.legend(fontsize=8, loc="upper right")
    ax.set(xlabel="leaf: (number of rows merged below) or row id", ylabel=f"{method} linkage distance")
    fig.suptitle(f"{spec_name}: dendrogram ({method} linkage)", fontweight="bold")
    where = f"seeded sample of {DENDROGRAM_MAX_ROWS} rows" if sampled else f"{X.shape[0]} rows"
    ax.set_title(f"{where}; truncated to the last {DENDROGRAM_LEAVES} merges", fontsize=8, color="dimgray")
    ax.grid(axis="y", alpha=0.25)
    return save_figure(fig, path)
