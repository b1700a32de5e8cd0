"""Workbench at scale: fit on a seeded sample, assign every row, say what was sampled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.workbench import scale
from cluster_marts.adapters.workbench.analysis import TABLES, run_spec, spec_run_id
from cluster_marts.config.spec import parse_spec
from cluster_marts.errors import SettingsError


def gaussian_blobs(seed: int) -> tuple[pd.DataFrame, int]:
    """4 isotropic gaussian clusters in 5 dims (scikit-learn's generator)."""
    X, y = make_blobs(3000, n_features=5, centers=4, cluster_std=1.0, center_box=(-12, 12), random_state=seed)
    return _frame(X, y), 4


def skewed_shapes(seed: int) -> tuple[pd.DataFrame, int]:
    """3 clusters of 50 / 30 / 20 % of the rows, stretched differently, on a simplex 9 apart (numpy)."""
    rng = np.random.default_rng(seed)
    sizes = (1500, 900, 600)
    centres = 9.0 / np.sqrt(2) * np.eye(4)[:3]
    parts = [c + rng.normal(size=(n, 4)) @ np.diag(rng.uniform(0.4, 1.2, 4)) for c, n in zip(centres, sizes)]
    y = np.repeat(np.arange(3), sizes)
    order = rng.permutation(y.size)
    return _frame(np.vstack(parts)[order], y[order]), 3


def _frame(X: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame.insert(0, "row_id", np.arange(len(frame)) * 7 + 3)
    frame["truth"] = y
    return frame


def spec(frame: pd.DataFrame, algorithm: str = "kmeans", **extra):
    features = [c for c in frame.columns if c.startswith("f")]
    raw = {"name": "planted", "source": {"ref": "planted"}, "id_column": "row_id", "features": features,
           "target": "truth", "algorithm": {"name": algorithm}, "compare": ["kmeans"]}
    return parse_spec(raw | extra)


def suggestions(out: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return out["suggestions"].set_index("name")


@pytest.mark.parametrize("make", [gaussian_blobs, skewed_shapes])
@pytest.mark.parametrize("seed", [0, 1])
def test_sampled_run_recovers_the_full_run_and_the_planted_clusters(make, seed):
    frame, n_planted = make(seed)
    full = run_spec(spec(frame, k_range=[2, 6], fit_sample_size=10_000), frame)  # every row fitted
    sampled = run_spec(spec(frame, k_range=[2, 6], fit_sample_size=400), frame)
    truth = frame.set_index(frame["row_id"].astype(str))["truth"]
    for out in (full, sampled):
        a = out["assignments"]
        assert len(a) == len(frame) and set(a["id"]) == set(truth.index)  # every row assigned
        assert (a["cluster_id"] >= 0).all() and a["cluster_id"].nunique() == n_planted
        assert out["k_selection"].loc[out["k_selection"]["is_chosen"], "k"].item() == n_planted
        assert out["clusters"]["size"].sum() == len(frame)
        assert adjusted_rand_score(truth.loc[a["id"]], a["cluster_id"]) >= 0.95
    assert full["assignments"]["id"].tolist() == sampled["assignments"]["id"].tolist()
    assert adjusted_rand_score(full["assignments"]["cluster_id"], sampled["assignments"]["cluster_id"]) >= 0.95
    a = sampled["assignments"]
    assert a["silhouette"].notna().sum() == 400  # per-row silhouette on the fit sample only
    assert full["assignments"]["silhouette"].notna().all()
    notes = suggestions(sampled)
    assert notes.loc["fit_sample", "value"] == 400 and "400 of the 3,000 rows" in notes.loc["fit_sample", "note"]
    assert "fit_sample" not in suggestions(full).index


def test_sampled_run_is_deterministic_and_independent_of_row_order():
    frame, _ = skewed_shapes(2)
    raw = spec(frame, n_clusters=3, fit_sample_size=300)
    first = run_spec(raw, frame)
    second = run_spec(raw, frame.sample(frac=1.0, random_state=5))
    for name in TABLES:
        pd.testing.assert_frame_equal(first[name], second[name], check_exact=True)


def test_quadratic_and_density_methods_fit_on_a_sample_and_say_so(monkeypatch):
    monkeypatch.setattr(scale, "QUADRATIC_SAMPLE_SIZE", 300)
    frame, _ = gaussian_blobs(3)
    out = run_spec(spec(frame, "agglomerative", n_clusters=4, fit_sample_size=1000,
                        compare=["kmeans", "spectral", "dbscan"]), frame)
    a = out["assignments"]
    assert len(a) == 3000 and (a["cluster_id"] >= 0).all()
    assert adjusted_rand_score(frame["truth"], a.set_index("id").loc[frame["row_id"].astype(str), "cluster_id"]) > 0.95
    notes = suggestions(out)
    assert notes.loc["sample_agglomerative", "value"] == 300
    assert notes.loc["sample_agglomerative", "note"] == (
        "agglomerative is quadratic in rows: fitted on a seeded sample of 300 of the 1,000 sampled rows; "
        "every other row takes its nearest cluster mean")
    assert notes.loc["sample_spectral", "note"].endswith(
        "in the comparison, the other sampled rows take its nearest cluster mean")
    assert "sample_dbscan" not in notes.index  # compared on the sample itself: nothing predicted
    assert out["comparison"]["algorithm"].tolist() == ["agglomerative", "kmeans", "spectral", "dbscan"]

    density = run_spec(spec(frame, "dbscan", fit_sample_size=1000, compare=["dbscan"]), frame)
    d = density["assignments"]
    assert len(d) == 3000 and suggestions(density).loc["sample_dbscan", "value"] == 1000
    assert d.loc[~d["is_noise"], "confidence"].isin([0.5, 1.0]).all()
    assert (d.loc[d["is_noise"], "confidence"] == 0).all()


def test_tsne_embeds_the_sample_and_places_the_rest():
    frame, _ = gaussian_blobs(4)
    frame = frame.iloc[:600]
    out = run_spec(spec(frame, n_clusters=4, fit_sample_size=200,
                        preprocessing={"reduction": {"method": "tsne", "n_components": 2}}), frame)
    a = out["assignments"]
    assert len(a) == 600 and np.isfinite(a[["x_2d", "y_2d"]].to_numpy()).all()
    assert suggestions(out).loc["sample_tsne", "value"] == 200
    assert adjusted_rand_score(frame["truth"], a.set_index("id").loc[frame["row_id"].astype(str), "cluster_id"]) > 0.9


def test_small_specs_have_no_scale_notes_and_the_default_size_keeps_the_run_id():
    frame, _ = gaussian_blobs(0)
    small = frame.iloc[:150]
    out = run_spec(spec(small, n_clusters=4), small)
    assert not any(n.startswith(("fit_sample", "sample_")) for n in out["suggestions"]["name"])
    omitted = spec_run_id(spec(small, n_clusters=4), small)
    assert spec_run_id(spec(small, n_clusters=4, fit_sample_size=20_000), small) == omitted
    assert spec_run_id(spec(small, n_clusters=4, fit_sample_size=500), small) != omitted
    assert "fit_sample_size" not in out["k_selection"]["settings_json"].iloc[0]


def test_fit_sample_size_is_validated():
    frame, _ = gaussian_blobs(0)
    with pytest.raises(SettingsError, match="fit_sample_size"):
        spec(frame, fit_sample_size=50)
