"""Tests for cluster_marts.adapters.partition: the functions the dbt Python models call."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.partition import (
    ASSIGNMENT_COLUMNS,
    CENTROID_COLUMNS,
    K_SELECTION_COLUMNS,
    SCALER_PARAMS_COLUMNS,
    assign_clusters,
    centroids,
    scaler_params,
    select_k,
)
from cluster_marts.config.cluster import ClusterSettings
from cluster_marts.errors import InputDataError, SettingsError

MODEL = "int_provider_clusters"
X, Y = make_blobs(n_samples=300, centers=4, cluster_std=0.6, random_state=42)
FEATURES = pd.DataFrame({"entity_id": np.arange(1000, 1300), "x0": X[:, 0], "x1": X[:, 1], "tag": "t"})
META = {"id_column": "entity_id", "features": ["x0", "x1"], "random_state": "42", "description": "test"}


@pytest.fixture(scope="module")
def k_selection():
    return select_k(FEATURES, META, model=MODEL)


@pytest.fixture(scope="module")
def assignments(k_selection):
    return assign_clusters(FEATURES, k_selection, META, model=MODEL)


def _chosen(frame):
    return int(frame.loc[frame["is_chosen"], "k"].item())


@pytest.mark.parametrize("rule", ["silhouette", "calinski_harabasz", "elbow"])
def test_select_k_picks_four(rule, k_selection):
    out = k_selection if rule == "silhouette" else select_k(FEATURES, {**META, "selection_rule": rule}, model=MODEL)
    assert _chosen(out) == 4
    assert out["selection_rule"].unique().tolist() == [rule]


def test_select_k_columns_and_dtypes(k_selection):
    out = k_selection
    # the one schema of every domain (tests/unit/test_selection_table.py spells it out and checks the SQL side)
    assert list(out.columns) == K_SELECTION_COLUMNS
    assert out["k"].tolist() == list(range(2, 9))
    for col in ["k", "random_state", "n_samples", "gap_references", "n_components", "n_clusters_found"]:
        assert out[col].dtype == np.int64, col
    for col in ["inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "gap", "gap_sd",
                "smallest_cluster_share", "largest_share", "balance", "combined_score", "bic", "aic",
                "partition_coefficient", "partition_entropy", "reconstruction_error"]:
        assert out[col].dtype == np.float64, col
    for col in ["is_eligible", "is_knee", "is_silhouette_best", "is_gap_best", "is_combined_best", "is_chosen"]:
        assert out[col].dtype == bool, col
    assert out["axis"].isna().all() and out["method"].isna().all()  # providers and demand have neither
    assert out[["bic", "aic", "partition_coefficient", "partition_entropy", "reconstruction_error"]].isna().all().all()
    # 4 blobs of 75 rows: k-means finds them at k=4, so the smallest and the largest share are both 1/4
    at4 = out.loc[out["k"] == 4].iloc[0]
    assert (at4["smallest_cluster_share"], at4["largest_share"], at4["balance"]) == (0.25, 0.25, 1.0)
    assert (out["n_clusters_found"] == out["k"]).all()
    for col in ["silhouette_method", "selection_rule", "algorithm", "scaling", "features", "features_used",
                "run_id", "settings_json"]:
        assert pd.api.types.is_string_dtype(out[col]) and out[col].notna().all(), col
    row = out.iloc[0]
    assert (row["algorithm"], row["scaling"], row["random_state"], row["n_samples"], row["features"]) == (
        "kmeans", "standard", 42, 300, "x0,x1")
    assert len(row["run_id"]) == 16 and out["run_id"].nunique() == 1


def test_defaults_keep_the_provider_tables(k_selection):
    out = k_selection
    assert out["gap"].isna().all() and out["gap_sd"].isna().all() and (out["gap_references"] == 0).all()
    assert out["is_eligible"].all() and not out["is_gap_best"].any()
    assert out.loc[out["is_silhouette_best"], "k"].tolist() == [4]
    assert (out["features_used"] == "x0,x1").all() and (out["n_components"] == 2).all()
    # run ids of runs without preprocessing are unchanged from before preprocessing existed
    assert out["run_id"].iloc[0] == "6fe23077719ab6ab"


def test_settings_json_records_every_setting(k_selection):
    settings = json.loads(k_selection["settings_json"].iloc[0])
    assert list(settings) == sorted(f.name for f in dataclasses.fields(ClusterSettings))
    assert settings["features"] == ["x0", "x1"] and settings["random_state"] == 42  # coerced from "42"
    assert (settings["gap_references"], settings["min_cluster_share"], settings["pca_components"]) == (0, 0.0, None)
    assert k_selection["settings_json"].nunique() == 1


def test_assign_clusters_recovers_blobs(assignments, k_selection):
    out = assignments
    assert list(out.columns) == list(FEATURES.columns) + ASSIGNMENT_COLUMNS
    pd.testing.assert_frame_equal(out[FEATURES.columns], FEATURES)
    assert adjusted_rand_score(Y, out["cluster_id"]) >= 0.95
    assert out["cluster_id"].dtype == np.int64 and out["k"].dtype == np.int64
    assert out["silhouette"].dtype == np.float64 and out["distance_to_centroid"].dtype == np.float64
    assert sorted(out["cluster_id"].unique()) == [0, 1, 2, 3]
    assert (out["k"] == 4).all() and (out["algorithm"] == "kmeans").all()
    assert out["silhouette"].mean() == pytest.approx(k_selection.loc[k_selection["is_chosen"], "silhouette"].item())
    assert (out["distance_to_centroid"] >= 0).all()
    assert (out["run_id"] == k_selection["run_id"].iloc[0]).all()
    # canonical rule: ids ascend with the centroid of the first feature
    assert out.groupby("cluster_id")["x0"].mean().is_monotonic_increasing


def test_reruns_and_row_order_give_identical_tables(assignments, k_selection):
    shuffled = FEATURES.sample(frac=1.0, random_state=0)
    again = assign_clusters(shuffled, select_k(shuffled, META, model=MODEL), META, model=MODEL)
    again = again.set_index("entity_id").loc[FEATURES["entity_id"]].reset_index()
    pd.testing.assert_frame_equal(again, assignments)
    pd.testing.assert_frame_equal(select_k(FEATURES, META, model=MODEL), k_selection)


@pytest.mark.parametrize("algorithm", ["gmm", "agglomerative"])
def test_other_algorithms_end_to_end(algorithm):
    meta = {**META, "algorithm": algorithm, "k_max": 5, "n_init": 2}
    ks = select_k(FEATURES, meta, model=MODEL)
    assert _chosen(ks) == 4
    out = assign_clusters(FEATURES, ks, meta, model=MODEL)
    assert adjusted_rand_score(Y, out["cluster_id"]) >= 0.95 and (out["algorithm"] == algorithm).all()


def test_centroids_and_scaler_params(assignments, k_selection):
    cents = centroids(FEATURES, k_selection, META, model=MODEL)
    assert list(cents.columns) == CENTROID_COLUMNS == [
        "cluster_id", "feature", "center_scaled", "center_original", "is_used", "run_id"]
    assert cents["cluster_id"].dtype == np.int64 and len(cents) == 8
    assert cents["is_used"].dtype == bool and cents["is_used"].all()
    means = assignments.groupby("cluster_id")[["x0", "x1"]].mean()
    got = cents.pivot(index="cluster_id", columns="feature", values="center_original")
    np.testing.assert_allclose(got[["x0", "x1"]].to_numpy(), means.to_numpy(), atol=1e-8)
    params = scaler_params(FEATURES, META, model=MODEL)
    assert list(params.columns) == SCALER_PARAMS_COLUMNS == [
        "feature", "method", "center", "scale", "clip_lower", "clip_upper", "is_used", "run_id"]
    assert params["is_used"].dtype == bool and params["is_used"].all()
    assert params[["clip_lower", "clip_upper"]].isna().all().all()  # clip_quantile 0: no clipping
    np.testing.assert_allclose(params["center"], X.mean(axis=0))
    np.testing.assert_allclose(params["scale"], X.std(axis=0))


def test_fixed_rule_and_sampled_silhouette():
    meta = {**META, "selection_rule": "fixed", "n_clusters": "3", "k_max": 5, "silhouette_sample_size": 100}
    ks = select_k(FEATURES, meta, model=MODEL)
    assert _chosen(ks) == 3 and (ks["silhouette_method"] == "sampled_100").all()
    out = assign_clusters(FEATURES, ks, meta, model=MODEL)
    assert out["cluster_id"].nunique() == 3


# --- input errors ----------------------------------------------------------------------------

def _broken(**changes):
    frame = FEATURES.copy()
    for column, (rows, value) in changes.items():
        frame.loc[rows, column] = value
    return frame


@pytest.mark.parametrize(
    "frame, match",
    [
        (FEATURES.drop(columns="x1"), r"model int_provider_clusters: feature column\(s\) 'x1' .* available columns: entity_id, x0, tag"),
        (FEATURES.drop(columns="entity_id"), r"model int_provider_clusters: id column 'entity_id' .*missing.*available columns: x0, x1"),
        (_broken(x0=([3, 7], np.nan)), r"model int_provider_clusters: feature column 'x0' has 2 null/NaN/inf .*entity_id 1003, 1007; quarantine these rows upstream or drop the feature from config.meta.features"),
        (_broken(x1=([5], np.inf)), r"feature column 'x1' has 1 null/NaN/inf value\(s\), e\.g\. for entity_id 1005"),
        (_broken(entity_id=([1, 2], 1000)), r"model int_provider_clusters: id column 'entity_id' has 1 duplicated id\(s\), e\.g\. 1000"),
        (FEATURES.assign(x1="a"), r"model int_provider_clusters: feature column 'x1' has non-numeric type"),
        (FEATURES.head(2), r"model int_provider_clusters: only 2 rows .*need at least 3 for k_min=2"),
    ],
    ids=["missing-feature", "missing-id", "nan", "inf", "duplicate-id", "non-numeric", "too-few-rows"],
)
def test_input_errors(frame, match):
    with pytest.raises(InputDataError, match=match):
        select_k(frame, META, model=MODEL)


def test_nullable_and_decimal_features_accepted():
    from decimal import Decimal

    frame = FEATURES.head(20).assign(x0=lambda d: d["x0"].round().astype("Int64"),
                                     x1=lambda d: [Decimal(str(round(v, 3))) for v in d["x1"]])
    out = select_k(frame, {**META, "k_max": 3}, model=MODEL)
    assert out["n_samples"].iloc[0] == 20
    frame.loc[0, "x0"] = pd.NA
    with pytest.raises(InputDataError, match=r"'x0' has 1 null/NaN/inf"):
        select_k(frame, META, model=MODEL)


def test_settings_error_propagates():
    with pytest.raises(SettingsError, match=r"model int_provider_clusters: setting 'scaling'='zscore'"):
        select_k(FEATURES, {**META, "scaling": "zscore"}, model=MODEL)


def test_assign_clusters_checks_k_selection(k_selection):
    none_chosen = k_selection.assign(is_chosen=False)
    with pytest.raises(InputDataError, match=r"model int_provider_clusters: int_provider_k_selection has 0 rows with is_chosen"):
        assign_clusters(FEATURES, none_chosen, META, model=MODEL, upstream="int_provider_k_selection")
    with pytest.raises(InputDataError, match=r"lacks column\(s\) is_chosen"):
        assign_clusters(FEATURES, k_selection.drop(columns="is_chosen"), META, model=MODEL)
    with pytest.raises(InputDataError, match=r"computed from other data or settings"):
        assign_clusters(FEATURES, k_selection, {**META, "scaling": "minmax"}, model=MODEL)
    with pytest.raises(InputDataError, match=r"input already has column\(s\) cluster_id"):
        assign_clusters(FEATURES.assign(cluster_id=1), k_selection, META, model=MODEL)
    # selection-only settings do not change run_id, so a differently-ranged k grid is still accepted
    out = assign_clusters(FEATURES, k_selection, {**META, "k_max": 6, "selection_rule": "elbow"}, model=MODEL)
    assert out["k"].iloc[0] == 4 and (out["run_id"] == k_selection["run_id"].iloc[0]).all()


# --- DFU-style selection: eligibility and vote (preprocessing end to end: test_preprocess.py) ---

SKEWED_X, SKEWED_Y = make_blobs(n_samples=[100, 100, 100, 6], centers=[[0, 0], [8, 0], [0, 8], [8, 8]],
                                cluster_std=0.6, random_state=1)
SKEWED = pd.DataFrame({"entity_id": np.arange(306), "x0": SKEWED_X[:, 0], "x1": SKEWED_X[:, 1]})


def test_min_cluster_share_makes_small_segments_ineligible():
    plain = select_k(SKEWED, {**META, "k_max": 6}, model=MODEL)
    assert _chosen(plain) == 4
    assert plain.loc[plain["k"] == 4, "smallest_cluster_share"].item() == pytest.approx(6 / 306)
    out = select_k(SKEWED, {**META, "k_max": 6, "min_cluster_share": "0.05"}, model=MODEL)
    assert out["is_eligible"].tolist() == (out["smallest_cluster_share"] >= 0.05).tolist()
    assert out.loc[out["is_eligible"], "k"].tolist() == [2, 3]
    assert _chosen(out) == 3 and out.loc[out["is_chosen"], "is_eligible"].item()
    largest = out.loc[out["k"] >= 3, "smallest_cluster_share"].max()  # each k is fitted on its own
    with pytest.raises(InputDataError, match=rf"model {MODEL}: no k in 3\.\.6 is eligible: .*min_cluster_share=0\.4 "
                                             rf".*largest smallest_cluster_share seen: {largest:.4g} at k=3\)"):
        select_k(SKEWED, {**META, "k_min": 3, "k_max": 6, "min_cluster_share": 0.4}, model=MODEL)


def test_vote_end_to_end():
    meta = {**META, "k_max": 6, "selection_rule": "vote", "gap_references": 5}
    out = select_k(FEATURES, meta, model=MODEL)
    # on the 2..6 curve the knee sits at 3: silhouette and gap outvote it
    assert out.loc[out["is_knee"], "k"].tolist() == [3]
    assert _chosen(out) == 4 and (out["selection_rule"] == "vote: elbow=3, silhouette=4, gap=4 -> 4").all()
    assert out.loc[out["is_gap_best"], "k"].tolist() == [4] and (out["gap_references"] == 5).all()
    assert out["gap"].notna().all() and (out["gap_sd"] > 0).all()
    with pytest.raises(SettingsError, match=r"selection_rule 'vote' needs gap_references >= 1"):
        select_k(FEATURES, {**meta, "gap_references": 0}, model=MODEL)
