"""Workbench engine: every algorithm through run_spec, wine ARI/NMI, recommendations, determinism."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from cluster_marts.adapters.workbench.analysis import KEPT, TABLES, run_spec
from cluster_marts.adapters.workbench.datasets import read_source
from cluster_marts.config.spec import load_spec, parse_spec
from cluster_marts.config.spec_params import ALGORITHMS, DENSITY_ALGORITHMS
from cluster_marts.demo.workbench import wine_frame, write_wine
from cluster_marts.errors import InputDataError
from cluster_marts.selection.table import K_SELECTION_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = {
    "assignments": ["id", "cluster_id", "confidence", "is_noise", "is_outlier", "outlier_score", "x_2d", "y_2d",
                    "silhouette", "distance_to_centre", "normalized_distance", "margin"],
    "clusters": ["cluster_id", "size", "share", "density", "compactness", "separation"],
    "centres": ["cluster_id", "feature", "value_scaled", "value_original"],
    "metrics": ["metric", "value"],
    "feature_importance": ["feature", "f_statistic", "importance"],
    "representatives": ["cluster_id", "rank", "id", "distance"],
    "comparison": ["algorithm", "n_clusters", "silhouette", "noise_share", "is_recommended", "reason"],
    "suggestions": ["name", "value", "note"],
    "k_selection": K_SELECTION_COLUMNS,
}


@pytest.fixture(scope="module")
def blobs() -> pd.DataFrame:
    X, y = make_blobs(150, centers=[[0, 0], [6, 0], [3, 6]], cluster_std=0.7, random_state=3)
    X = np.r_[X[:-3], [[20.0, 20.0], [-15.0, 18.0], [25.0, -12.0]]]  # three far-away points
    return pd.DataFrame({"row_id": np.arange(150), "x": X[:, 0], "y": X[:, 1], "truth": y})


def blob_spec(algorithm: str, **extra) -> dict:
    raw = {"name": "blobs", "source": {"ref": "blobs"}, "id_column": "row_id", "features": ["x", "y"],
           "target": "truth", "algorithm": {"name": algorithm},
           "compare": ["kmeans", "dbscan"]}
    if algorithm not in DENSITY_ALGORITHMS:
        raw["n_clusters"] = 3
    return raw | extra


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_runs_through_run_spec(blobs, algorithm):
    out = run_spec(parse_spec(blob_spec(algorithm)), blobs)
    assert set(out) == {*TABLES, *KEPT}
    for name, columns in COLUMNS.items():
        assert list(out[name].columns) == columns, name
    a = out["assignments"]
    assert len(a) == 150 and a["id"].is_unique
    assert a["confidence"].between(0, 1).all()
    assert (a["is_noise"] == (a["cluster_id"] == -1)).all()
    n_clusters = int(a.loc[~a["is_noise"], "cluster_id"].nunique())
    assert len(out["clusters"]) == n_clusters and out["clusters"]["size"].sum() == (~a["is_noise"]).sum()
    assert len(out["centres"]) == 2 * n_clusters
    assert a[["x_2d", "y_2d"]].notna().all().all()
    assert (a["silhouette"].isna() == a["is_noise"]).all()  # silhouette on non-noise rows only
    mean_sil = out["metrics"].set_index("metric").loc["silhouette", "value"]
    assert np.isclose(a["silhouette"].mean(), mean_sil)
    ks = out["k_selection"]
    assert ks["k"].tolist() == list(range(2, 9)) and ks["is_chosen"].sum() == 1
    assert ks["axis"].isna().all() and (ks["method"] == algorithm).all() and ks["run_id"].nunique() == 1
    if algorithm in DENSITY_ALGORITHMS:  # a k-means scan only suggests k
        assert (ks["algorithm"] == "kmeans").all()
        assert ks["selection_rule"].iloc[0] == f"silhouette (suggestion only: {algorithm} finds its clusters itself)"
    else:  # the spec fixes n_clusters=3: rule fixed, scanned with k-means
        assert ks.loc[ks["is_chosen"], "k"].item() == 3 and (ks["selection_rule"] == "fixed").all()
        assert (ks["algorithm"] == "kmeans").all()
    if algorithm in DENSITY_ALGORITHMS:
        assert a["is_noise"].any(), "the far-away points should be noise"
        assert (a.loc[a["is_noise"], "confidence"] == 0).all()
        assert np.isnan(out["metrics"].set_index("metric").loc["inertia", "value"])
    else:
        assert n_clusters == 3 and not a["is_noise"].any()
        assert adjusted_rand_score(blobs["truth"][:-3], a["cluster_id"][:-3]) > 0.9


def test_wine_kmeans_ari_nmi_match_sklearn():
    frame = wine_frame()
    out = run_spec(load_spec(ROOT / "specs" / "wine.yml"), frame)
    a = out["assignments"]
    truth = frame.set_index(frame["wine_id"].astype(str))["cultivar"].loc[a["id"]].to_numpy()
    metrics = out["metrics"].set_index("metric")["value"]
    assert metrics["ari"] == adjusted_rand_score(truth, a["cluster_id"])
    assert metrics["nmi"] == normalized_mutual_info_score(truth, a["cluster_id"])
    assert metrics["ari"] > 0.8
    assert set(out["feature_importance"]["feature"]) == set(load_spec(ROOT / "specs" / "wine.yml").features)
    assert np.isclose(out["feature_importance"]["importance"].sum(), 1.0)
    assert (out["representatives"].groupby("cluster_id").size() == 3).all()


def test_write_wine_roundtrip(tmp_path):
    """The file the dbt source raw.wine reads (var wine_path, default data/raw/wine.parquet) is the wine data."""
    write_wine(tmp_path / "data" / "raw" / "wine.parquet")
    spec = load_spec(ROOT / "specs" / "wine.yml")
    assert spec.source.source == ("raw", "wine")
    as_file = parse_spec({**yaml.safe_load((ROOT / "specs" / "wine.yml").read_text()),
                          "source": {"path": "data/raw/wine.parquet"}})
    pd.testing.assert_frame_equal(read_source(as_file, root=tmp_path), wine_frame())
    with pytest.raises(InputDataError, match="source raw.wine is read by dbt .model int_workbench_fit_wine."):
        read_source(spec, root=tmp_path)


def test_recommendations_on_blobs(blobs):
    clean = blobs.iloc[:-3]  # without the far-away points, which k-means would make singletons of
    raw = blob_spec("kmeans", n_clusters=None, k_range=[2, 6], compare=["kmeans", "gmm", "agglomerative", "dbscan"])
    out = run_spec(parse_spec(raw), clean)
    comparison = out["comparison"]
    assert comparison["is_recommended"].sum() == 1
    best = comparison.loc[comparison["is_recommended"]].iloc[0]
    assert best["algorithm"] in {"kmeans", "gmm", "agglomerative"} and best["n_clusters"] == 3
    assert "silhouette" in best["reason"]
    suggestions = out["suggestions"].set_index("name")
    assert suggestions.loc["k", "value"] == 3
    ks = out["k_selection"]  # searched with the spec's own algorithm over k_range
    assert ks["k"].tolist() == [2, 3, 4, 5, 6] and (ks["algorithm"] == "kmeans").all()
    assert ks.loc[ks["is_chosen"], "k"].item() == 3 and (ks["selection_rule"] == "silhouette").all()
    assert ks.loc[ks["is_chosen"], "silhouette"].item() == pytest.approx(
        out["metrics"].set_index("metric").loc["silhouette", "value"])  # the same fit as the final one
    assert ks.loc[ks["k"] == 3, "n_clusters_found"].item() == 3
    eps = suggestions.loc["dbscan_eps", "value"]
    assert np.isfinite(eps) and eps > 0
    assert suggestions.loc["recommended_algorithm", "note"].startswith(best["algorithm"])
    assert any(name.startswith("interpretation_") for name in suggestions.index)


def test_preprocessing_options_run(blobs):
    raw = blob_spec("gmm", preprocessing={"scaling": "robust", "reduction": {"method": "pca", "n_components": 2},
                                          "outliers": {"method": "zscore", "z": 2.5}})
    out = run_spec(parse_spec(raw), blobs)
    a = out["assignments"]
    assert a["is_outlier"].sum() >= 3 and a["outlier_score"].notna().all()
    assert set(a.loc[a["is_outlier"], "id"]) >= {"147", "148", "149"}


def test_determinism(blobs):
    raw = blob_spec("kmeans", preprocessing={"outliers": {"method": "isolation_forest"}})
    first = run_spec(parse_spec(raw), blobs)
    second = run_spec(parse_spec(raw), blobs.sample(frac=1.0, random_state=1))
    for name in TABLES:
        pd.testing.assert_frame_equal(first[name], second[name], check_exact=True)


def test_interpretation_names_only_the_agreement_metrics_asked_for():
    raw = yaml.safe_load((ROOT / "specs" / "wine.yml").read_text())
    raw["metrics"] = ["silhouette", "ari"]
    raw["compare"] = ["kmeans"]
    notes = run_spec(parse_spec(raw), wine_frame())["suggestions"]["note"].tolist()
    agreement = [n for n in notes if "agreement with the target" in n]
    assert len(agreement) == 1 and "ARI" in agreement[0] and "NMI" not in agreement[0]


def test_k_search_when_the_spec_fixes_k_outside_the_scan(blobs):
    out = run_spec(parse_spec(blob_spec("gmm", n_clusters=12)), blobs.iloc[:-3])  # without the far-away points
    ks = out["k_selection"]  # a k-means scan over the default k=2..8 only suggests k
    assert ks["k"].tolist() == list(range(2, 9)) and (ks["algorithm"] == "kmeans").all()
    assert ks.loc[ks["is_chosen"], "k"].item() == 3 == out["suggestions"].set_index("name").loc["k", "value"]
    assert ks["selection_rule"].iloc[0] == "silhouette (suggestion only: the spec's n_clusters=12 is outside k=2..8)"


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # identical rows, on purpose
def test_k_search_without_any_defined_silhouette():
    from cluster_marts.adapters.workbench.recommend import search_k, silhouette_best

    X = np.zeros((20, 2))  # identical rows: every fit has a single distinct cluster
    ks = search_k(X, "kmeans", (2, 4), {"n_init": 1}, 0)
    assert ks["silhouette"].isna().all() and (ks["silhouette_method"] == "undefined").all()
    assert ks.loc[ks["is_chosen"], "k"].item() == 2 and (ks["n_clusters_found"] == 1).all()
    assert ks["selection_rule"].iloc[0] == "silhouette (undefined at every k; took the smallest k)"
    k, sil = silhouette_best(ks, 2)
    assert k == 2 and np.isnan(sil)
