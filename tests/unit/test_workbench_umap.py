"""UMAP as a workbench reduction: planted blobs recovered, seeded, sampled at scale, a clear error without the extra."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.workbench.analysis import run_spec
from cluster_marts.config.spec import parse_spec
from cluster_marts.errors import SettingsError

pytest.importorskip("umap")


def planted(seed: int, n: int = 400) -> pd.DataFrame:
    """Four well-separated Gaussian blobs in 6 dimensions, shuffled."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 1.0, (4, 6))
    centres *= 8.0 / np.linalg.norm(centres, axis=1, keepdims=True)  # every centre 8 from the origin
    truth = rng.permutation(np.repeat(np.arange(4), n // 4))
    X = centres[truth] + rng.normal(0.0, 0.6, (n, 6))
    return pd.DataFrame({"row_id": np.arange(n), **{f"f{j}": X[:, j] for j in range(6)}, "truth": truth})


def umap_spec(seed: int, **extra) -> dict:
    return {"name": "planted", "source": {"ref": "planted"}, "id_column": "row_id",
            "features": [f"f{j}" for j in range(6)], "target": "truth", "random_state": seed,
            "preprocessing": {"reduction": {"method": "umap", "n_components": 2}},
            "algorithm": {"name": "kmeans"}, "n_clusters": 4, "compare": ["kmeans"]} | extra


def _ari(out: dict[str, pd.DataFrame], frame: pd.DataFrame) -> float:
    a = out["assignments"].assign(row_id=lambda d: d["id"].astype(int)).merge(frame, on="row_id")
    return float(adjusted_rand_score(a["truth"], a["cluster_id"]))


@pytest.mark.parametrize("seed", [0, 7])
def test_clustering_after_umap_recovers_planted_blobs(seed):
    frame = planted(seed)
    out = run_spec(parse_spec(umap_spec(seed)), frame)
    assert _ari(out, frame) >= 0.9
    metrics = dict(zip(out["metrics"]["metric"], out["metrics"]["value"]))
    assert metrics["ari"] >= 0.9
    # the scatter coordinates are the 2-D UMAP embedding itself, and a rerun reproduces it
    again = run_spec(parse_spec(umap_spec(seed)), frame)
    pd.testing.assert_frame_equal(out["assignments"], again["assignments"])


@pytest.mark.parametrize("seed", [0, 7])
def test_umap_on_a_sample_places_the_other_rows_with_its_transform(seed):
    frame = planted(seed)
    out = run_spec(parse_spec(umap_spec(seed, fit_sample_size=150)), frame)
    assert _ari(out, frame) >= 0.9
    notes = out["suggestions"].set_index("name")
    assert notes.loc["sample_umap", "value"] == 150 and "transform" in notes.loc["sample_umap", "note"]


def test_umap_without_the_package_names_the_extra(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "umap" else real(name, *a))
    with pytest.raises(SettingsError, match=r"spec s.yml: key 'preprocessing.reduction.method'='umap' needs the "
                                            r"umap-learn package.*install the umap extra \(pip install "
                                            r"'cluster_marts\[umap\]'\).*allowed values: pca, tsne, none"):
        parse_spec(umap_spec(0), file="s.yml")
