"""Tests for cluster_marts.preprocessing.encoding and ``categorical_features`` end to end."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.partition import assign_clusters, centroids, scaler_params, select_k
from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.preprocessing.encoding import category_values, encode_categoricals, one_hot

MODEL = "int_provider_clusters"

TOY = pd.DataFrame({
    "id": [1, 2, 3, 4, 5],
    "spend": [1.0, 2.0, 3.0, 4.0, 5.0],
    "region": ["west", None, "east", "north", "east"],
    "tier": [10, 9, 9, np.nan, 10],
})


def test_one_hot_toy_frame_exact_columns_and_values():
    out, names = encode_categoricals(TOY, ["region", "tier"], model=MODEL)
    # values sorted by str(value): "10" < "9"; a null category gives all zeros
    assert names == ("region=east", "region=north", "region=west", "tier=10.0", "tier=9.0")
    assert list(out.columns) == [*TOY.columns, *names]
    pd.testing.assert_frame_equal(out[TOY.columns], TOY)
    expected = pd.DataFrame({
        "region=east": [0.0, 0.0, 1.0, 0.0, 1.0],
        "region=north": [0.0, 0.0, 0.0, 1.0, 0.0],
        "region=west": [1.0, 0.0, 0.0, 0.0, 0.0],
        "tier=10.0": [1.0, 0.0, 0.0, 0.0, 1.0],
        "tier=9.0": [0.0, 1.0, 1.0, 0.0, 0.0],
    })
    pd.testing.assert_frame_equal(out[list(names)], expected)


def test_one_hot_keeps_index_and_accepts_pandas_dtypes():
    column = pd.Series(["b", pd.NA, "a"], dtype="string", index=[7, 3, 5])
    out = one_hot(column, "c")
    assert list(out.index) == [7, 3, 5] and list(out.columns) == ["c=a", "c=b"]
    assert out.to_numpy().tolist() == [[0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]
    cat = one_hot(column.astype("category"), "c")
    pd.testing.assert_frame_equal(cat, out)
    assert category_values(pd.Series([None, np.nan])) == []


def test_no_categoricals_returns_the_frame_itself():
    out, names = encode_categoricals(TOY, (), model=MODEL)
    assert out is TOY and names == ()


# --- end to end ------------------------------------------------------------------------------

BLOB_X, _ = make_blobs(n_samples=300, centers=4, cluster_std=0.6, random_state=42)
BLOBS = pd.DataFrame({"entity_id": np.arange(1000, 1300), "x0": BLOB_X[:, 0], "x1": BLOB_X[:, 1], "tag": "t"})
META = {"id_column": "entity_id", "features": ["x0", "x1"], "random_state": "42", "description": "test"}


@pytest.fixture(scope="module")
def blobs_k():
    return select_k(BLOBS, META, model=MODEL)


@pytest.mark.parametrize("empty", [[], "", None])
def test_empty_categorical_features_keep_select_k_byte_identical(empty, blobs_k):
    after = select_k(BLOBS, {**META, "categorical_features": empty}, model=MODEL)
    pd.testing.assert_frame_equal(after, blobs_k)
    assert after["run_id"].iloc[0] == "6fe23077719ab6ab"  # the pinned provider run id


def test_empty_categorical_features_keep_assignments_identical(blobs_k):
    pd.testing.assert_frame_equal(
        assign_clusters(BLOBS, blobs_k, {**META, "categorical_features": []}, model=MODEL),
        assign_clusters(BLOBS, blobs_k, META, model=MODEL),
    )


RNG = np.random.default_rng(7)
TRUTH = np.repeat([0, 1], 120)
# the two groups differ only by their segment; the numeric columns are pure noise
PLANTED = pd.DataFrame({
    "entity_id": np.arange(240),
    "noise0": RNG.normal(size=240),
    "noise1": RNG.normal(size=240),
    "segment": np.where(TRUTH == 0, "retail", "wholesale"),
}).sample(frac=1.0, random_state=3)
PLANTED_META = {"id_column": "entity_id", "features": ["noise0", "noise1"], "categorical_features": "segment",
                "k_max": 5}
EXPANDED = ["noise0", "noise1", "segment=retail", "segment=wholesale"]


@pytest.fixture(scope="module")
def planted_k():
    return select_k(PLANTED, PLANTED_META, model=MODEL)


def test_categorical_carries_the_planted_structure(planted_k):
    assert int(planted_k.loc[planted_k["is_chosen"], "k"].item()) == 2
    assert (planted_k["features"] == ",".join(EXPANDED)).all()
    assert (planted_k["features_used"] == ",".join(EXPANDED)).all() and (planted_k["n_components"] == 4).all()
    settings = json.loads(planted_k["settings_json"].iloc[0])
    assert settings["features"] == EXPANDED and settings["categorical_features"] == ["segment"]
    assert settings["max_categories"] == 50
    out = assign_clusters(PLANTED, planted_k, PLANTED_META, model=MODEL)
    assert list(out.columns[:4]) == list(PLANTED.columns)  # input returned as given, without dummies
    truth = (PLANTED["segment"] == "wholesale").to_numpy()
    assert adjusted_rand_score(truth, out["cluster_id"]) >= 0.9
    assert (out["run_id"] == planted_k["run_id"].iloc[0]).all()


def test_centroids_and_scaler_params_have_a_row_per_dummy(planted_k):
    cents = centroids(PLANTED, planted_k, PLANTED_META, model=MODEL)
    assert cents["feature"].tolist() == EXPANDED * 2
    shares = cents.loc[cents["feature"].str.startswith("segment="), "center_original"].to_numpy()
    np.testing.assert_allclose(np.sort(shares), [0.0, 0.0, 1.0, 1.0], atol=1e-12)  # share of members per category
    params = scaler_params(PLANTED, PLANTED_META, model=MODEL)
    assert params["feature"].tolist() == EXPANDED
    np.testing.assert_allclose(params.loc[2:, ["center", "scale"]].to_numpy(), 0.5)
    assert set(cents["run_id"]) == set(params["run_id"]) == {planted_k["run_id"].iloc[0]}


def test_categorical_run_id_differs_and_ignores_row_order(planted_k):
    shuffled = PLANTED.sample(frac=1.0, random_state=11)
    pd.testing.assert_frame_equal(select_k(shuffled, PLANTED_META, model=MODEL), planted_k)
    numeric_only = select_k(PLANTED, {**PLANTED_META, "categorical_features": []}, model=MODEL)
    assert numeric_only["run_id"].iloc[0] != planted_k["run_id"].iloc[0]
    with pytest.raises(InputDataError, match=r"computed from other data or settings"):
        assign_clusters(PLANTED, numeric_only, PLANTED_META, model=MODEL)


def test_pca_components_counts_the_dummies():
    out = select_k(PLANTED, {**PLANTED_META, "pca_components": 3}, model=MODEL)
    assert (out["n_components"] == 3).all()
    with pytest.raises(InputDataError, match=r"pca_components=5 exceeds the 4 feature\(s\) kept"):
        select_k(PLANTED, {**PLANTED_META, "pca_components": 5}, model=MODEL)


# --- errors ----------------------------------------------------------------------------------

MANY = PLANTED.assign(city=[f"c{i % 60:02d}" for i in range(len(PLANTED))])


@pytest.mark.parametrize(
    "frame, update, match",
    [
        (PLANTED, {"categorical_features": ["segment", "channel"]},
         r"model int_provider_clusters: categorical column\(s\) 'channel' \(config.meta.categorical_features\) "
         r"missing from the input; available columns: entity_id, noise0, noise1, segment; fix categorical_features"),
        (MANY, {"categorical_features": "city"},
         r"model int_provider_clusters: categorical column 'city' .*has 60 distinct values, more than "
         r"max_categories=50, e\.g\. c00, .*; group the values upstream in SQL .* or raise max_categories"),
        (PLANTED, {"max_categories": 1},
         r"categorical column 'segment' .*has 2 distinct values, more than max_categories=1"),
        (PLANTED.assign(**{"segment=retail": 0.0}), {},
         r"model int_provider_clusters: one-hot encoding categorical column 'segment' would create column\(s\) "
         r"'segment=retail', which already exist; rename the clashing column upstream"),
        (PLANTED.assign(kind=[1, "1"] * 120), {"categorical_features": ["kind"]},
         r"categorical column 'kind' has distinct values that print alike \(kind=1\); cast the column to text"),
        (PLANTED.assign(**{"a": "b=c", "a=b": "c"}), {"categorical_features": ["a", "a=b"]},
         r"one-hot encoding categorical column 'a=b' would create column\(s\) 'a=b=c'"),
    ],
    ids=["missing", "too-many", "max-categories", "collision", "print-alike", "generated-twice"],
)
def test_input_errors(frame, update, match):
    with pytest.raises(InputDataError, match=match):
        select_k(frame, {**PLANTED_META, **update}, model=MODEL)


def test_settings_errors_and_non_numeric_hint():
    with pytest.raises(SettingsError, match=r"model int_provider_clusters: setting 'categorical_features'="
                                            r"\['segment', 'noise0'\] repeats 'noise0' from features; list each"):
        select_k(PLANTED, {**PLANTED_META, "categorical_features": ["segment", "noise0"]}, model=MODEL)
    with pytest.raises(InputDataError, match=r"feature column 'segment' has non-numeric type .*"
                                             r"move it to config.meta.categorical_features"):
        select_k(PLANTED, {**PLANTED_META, "features": ["noise0", "segment"], "categorical_features": []},
                 model=MODEL)
