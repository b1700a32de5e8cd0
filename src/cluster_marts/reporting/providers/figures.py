"""Figures for the provider clustering report (matplotlib, Agg backend).

Each function takes mart frames, writes one PNG and returns its path. The
maths (scaling, PCA) comes from the engine; this module only draws.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from cluster_marts.preprocessing.scaling import ScalerParams, transform  # noqa: E402
from cluster_marts.profiling.stats import pca_2d  # noqa: E402

DPI = 150
PCA_FEATURES = ("avg_intelligence", "avg_price", "avg_speed")
LABEL_ALL_MAX = 60   # label every provider up to this many, else the top few per cluster
LABELS_PER_CLUSTER = 4


def _chosen_k(ks: pd.DataFrame) -> int:
    return int(ks.loc[ks["is_chosen"].fillna(False).astype(bool), "k"].iloc[0])


def _knee_k(ks: pd.DataFrame) -> int | None:
    knee = ks.loc[ks["is_knee"].fillna(False).astype(bool), "k"]
    return int(knee.iloc[0]) if len(knee) else None


def _subtitle(ks: pd.DataFrame) -> str:
    row = ks.iloc[0]
    return (f"{row['algorithm']} on {row['scaling']}-scaled {row['features'].replace(',', ', ')}; "
            f"n = {int(row['n_samples'])}, random_state = {int(row['random_state'])}")


def _mark(ax, x: float, y: float, text: str, color: str, dy: int) -> None:
    ax.annotate(text, (x, y), xytext=(12, dy), textcoords="offset points", color=color, fontsize=9,
                arrowprops={"arrowstyle": "->", "color": color})


def elbow_plot(ks: pd.DataFrame, path: Path) -> Path:
    """Inertia against k, with the knee and the chosen k marked and labelled."""
    ks = ks.sort_values("k")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(ks["k"], ks["inertia"], "o-", color="tab:blue", label="inertia")
    chosen, knee = _chosen_k(ks), _knee_k(ks)
    rule = ks["selection_rule"].iloc[0]
    y = float(ks.loc[ks["k"] == chosen, "inertia"].iloc[0])
    if knee is not None:
        ax.axvline(knee, color="tab:orange", ls="--", lw=1, label=f"knee (k = {knee})")
    ax.plot([chosen], [y], marker="*", ms=16, color="tab:red", ls="none", label=f"chosen (k = {chosen})")
    if knee == chosen:
        _mark(ax, chosen, y, f"knee = chosen k = {chosen} ({rule})", "tab:red", 40)
    else:
        _mark(ax, chosen, y, f"chosen k = {chosen} ({rule})", "tab:red", 40)
        if knee is not None:
            _mark(ax, knee, float(ks.loc[ks["k"] == knee, "inertia"].iloc[0]), f"knee k = {knee}", "tab:orange", 25)
    ax.set(xlabel="number of clusters k", ylabel="inertia (within-cluster sum of squares)",
           xticks=ks["k"].tolist())
    fig.suptitle("Elbow plot: inertia by k", fontweight="bold")
    ax.set_title(_subtitle(ks), fontsize=8, color="dimgray")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return save_figure(fig, path)


def silhouette_plot(ks: pd.DataFrame, path: Path) -> Path:
    """Silhouette against k, with the chosen k marked; the subtitle names the silhouette method."""
    ks = ks.sort_values("k")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(ks["k"], ks["silhouette"], "o-", color="tab:green", label="silhouette")
    chosen = _chosen_k(ks)
    y = float(ks.loc[ks["k"] == chosen, "silhouette"].iloc[0])
    ax.plot([chosen], [y], marker="*", ms=16, color="tab:red", ls="none", label=f"chosen (k = {chosen})")
    _mark(ax, chosen, y, f"chosen k = {chosen}: {y:.3f}", "tab:red", -24)
    method = str(ks["silhouette_method"].iloc[0])
    sampled = "sampl" in method.lower()
    ax.set(xlabel="number of clusters k", ylabel="mean silhouette", xticks=ks["k"].tolist())
    fig.suptitle("Silhouette by k", fontweight="bold")
    note = f"silhouette method: {method}" + (" (estimated on a seeded sample)" if sampled else "")
    ax.set_title(f"{note}\n{_subtitle(ks)}", fontsize=8, color="dimgray")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return save_figure(fig, path)


def provider_pca(pc: pd.DataFrame, params: pd.DataFrame,
                 random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """PCA coordinates of providers in the space the clustering saw.

    The features are scaled with the run's stored scaler (mart
    provider_scaler_params), then projected with the engine's PCA.
    """
    params = params.set_index("feature").loc[list(PCA_FEATURES)]
    scaler = ScalerParams(method=str(params["method"].iloc[0]), features=PCA_FEATURES,
                          center=params["center"].to_numpy(dtype=np.float64),
                          scale=params["scale"].to_numpy(dtype=np.float64))
    X = pc[list(PCA_FEATURES)].to_numpy(dtype=np.float64)
    return pca_2d(transform(X, scaler), random_state=random_state)


def _labelled(pc: pd.DataFrame) -> pd.Index:
    if len(pc) <= LABEL_ALL_MAX:
        return pc.index
    top = pc.sort_values(["cluster_id", "model_count"], ascending=[True, False])
    return top.groupby("cluster_id").head(LABELS_PER_CLUSTER).index


def provider_scatter(pc: pd.DataFrame, summary: pd.DataFrame, params: pd.DataFrame, path: Path) -> Path:
    """Providers in PCA space coloured by cluster, labelled, with centroids as big X markers."""
    pc = pc.reset_index(drop=True)
    coords, ratio = provider_pca(pc, params)
    segments = summary.set_index("cluster_id")["segment_name"].to_dict()
    cmap = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(9, 6.5))
    for i, cid in enumerate(sorted(pc["cluster_id"].unique())):
        mask = (pc["cluster_id"] == cid).to_numpy()
        color = cmap(i % 10)
        name = segments.get(cid, f"cluster {cid}")
        ax.scatter(coords[mask, 0], coords[mask, 1], s=36, color=color, alpha=0.8,
                   edgecolor="white", lw=0.5, label=f"{cid}: {name} (n = {int(mask.sum())})")
        cx, cy = coords[mask].mean(axis=0)
        ax.scatter([cx], [cy], marker="X", s=260, color=color, edgecolor="black", lw=1.2, alpha=0.75, zorder=2.5)
    for idx in _labelled(pc):
        ax.annotate(str(pc.at[idx, "provider_name"]), coords[idx], xytext=(3, 3),
                    textcoords="offset points", fontsize=6, alpha=0.9, zorder=4)
    ax.scatter([], [], marker="X", s=120, color="lightgray", edgecolor="black", label="cluster centroid")
    ax.margins(0.08)
    ax.set_xlabel(f"PC1 ({ratio[0] * 100:.1f}% of variance)")
    ax.set_ylabel(f"PC2 ({ratio[1] * 100:.1f}% of variance)")
    method = params["method"].iloc[0]
    fig.suptitle(f"Providers by cluster (PCA of {method}-scaled intelligence, price, speed)", fontweight="bold")
    labelled = "all providers labelled" if len(pc) <= LABEL_ALL_MAX else \
        f"top {LABELS_PER_CLUSTER} providers per cluster by model count labelled"
    ax.set_title(f"X = cluster centroid in PCA space; {labelled}; run {pc['run_id'].iloc[0]}",
                 fontsize=8, color="dimgray")
    ax.axhline(0, color="lightgray", lw=0.6, zorder=0)
    ax.axvline(0, color="lightgray", lw=0.6, zorder=0)
    ax.legend(title="cluster: segment", fontsize=8, title_fontsize=8, loc="best")
    return save_figure(fig, path)


def save_figure(fig, path: Path) -> Path:
    """Lay out, write as PNG at :data:`DPI` (parents created), close; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
