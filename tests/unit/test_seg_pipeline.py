"""Entry points of cluster_marts.adapters.customers (what the customer dbt Python models call)."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

from cluster_marts.adapters.customers import (
    ASSIGNMENT_COLUMNS,
    FIT_METRICS_COLUMNS,
    K_SELECTION_COLUMNS,
    MEMBERSHIP_COLUMNS,
    segment_all,
    segment_assignments,
    segment_fit_metrics,
    segment_k_selection,
    segment_memberships,
    segmentation_table,
)
from cluster_marts.errors import InputDataError

MODEL = "int_customer_assignments"
_X, _Y = make_blobs(n_samples=240, centers=[[0, 0], [6, 0], [0, 6]], cluster_std=0.7, random_state=0)
_R = np.random.default_rng(1).gamma(1.0, 0.1, size=240)
FEATURES = pd.DataFrame(
    {"customer_id": np.random.default_rng(2).permutation(np.arange(5000, 5240)), "x": _X[:, 0], "y": _X[:, 1],
     "r": _R, "label": "ignored"}
)
META = {
    "id_column": "customer_id", "axes": {"shape": ["x", "y"], "returns": ["r"]}, "methods": ["fcm", "gmm", "neural"],
    "k_max": "5", "neural": {"epochs": 60, "hidden_units": 8}, "subdivision": {"min_size": 40},
    "random_state": "42", "description": "test",
}
KEYS = ["customer_id", "axis", "method"]


@pytest.fixture(scope="module")
def outputs():
    fit = segment_all(FEATURES, META, model=MODEL)
    return {f.__name__: f(fit) for f in
            (segment_k_selection, segment_memberships, segment_assignments, segment_fit_metrics)}


def test_columns_in_order(outputs):
    # the one schema of every domain (tests/unit/test_selection_table.py spells it out)
    assert list(outputs["segment_k_selection"].columns) == K_SELECTION_COLUMNS
    assert list(outputs["segment_memberships"].columns) == ["customer_id", *MEMBERSHIP_COLUMNS]
    assert list(outputs["segment_assignments"].columns) == ["customer_id", *ASSIGNMENT_COLUMNS]
    assert list(outputs["segment_fit_metrics"].columns) == FIT_METRICS_COLUMNS


def test_dtypes_are_explicit(outputs):
    for frame in outputs.values():
        assert not any(frame[c].dtype == object and frame[c].isna().all() for c in frame.columns)
        assert not (frame.dtypes == object).any(), frame.dtypes[frame.dtypes == object]
    a, fm = outputs["segment_assignments"], outputs["segment_fit_metrics"]
    assert a["second_segment_id"].dtype == "Int64" and a["segment_id"].dtype == "int64"
    assert a["customer_id"].dtype == FEATURES["customer_id"].dtype
    # nullable: a skipped axis has no k, convergence or iterations
    assert fm["converged"].dtype == "boolean" and fm["high_confidence_count"].dtype == "Int64"
    assert fm["k"].dtype == "Int64" and fm["n_iter"].dtype == "Int64" and fm["status"].dtype == "str"
    assert fm["converged"].notna().all() and (fm["status"] == "fitted").all() and fm["reason"].isna().all()
    assert outputs["segment_k_selection"]["is_chosen"].dtype == bool


def test_exactly_one_chosen_k_per_axis_and_method(outputs):
    ks = outputs["segment_k_selection"]
    assert ks.groupby(["axis", "method"])["is_chosen"].sum().eq(1).all()
    assert (ks.loc[ks["is_chosen"], "is_combined_best"]).all()  # selection_rule balanced
    assert ks.groupby(["axis", "method"])["k"].apply(list).map(lambda k: k == [2, 3, 4, 5]).all()
    assert ks.loc[ks["method"] == "fcm", ["partition_coefficient", "partition_entropy"]].notna().all().all()
    assert ks.loc[ks["method"] != "fcm", "partition_coefficient"].isna().all()
    assert ks.loc[ks["method"] == "gmm", ["bic", "aic"]].notna().all().all()
    assert ks.loc[ks["method"] == "neural", "reconstruction_error"].map(np.isfinite).all()
    chosen = ks.loc[ks["is_chosen"] & (ks["axis"] == "shape")]
    assert chosen["k"].tolist() == [3, 3, 3]  # planted blobs
    # the columns customers had before the one schema keep their meaning; the new ones are filled as documented
    assert (ks["algorithm"] == ks["method"]).all() and (ks["selection_rule"] == "balanced").all()
    assert ks["gap"].isna().all() and (ks["gap_references"] == 0).all() and ks["is_eligible"].all()
    assert ks.loc[ks["is_knee"] & (ks["axis"] == "shape"), "k"].tolist() == [3, 3, 3]  # knee at the planted k
    # inertia = squared distances to the dominant centre; the GMM means at k=3 are the blob means
    Xs = (_X - _X.mean(axis=0)) / _X.std(axis=0)
    planted_w = sum(((Xs[_Y == c] - Xs[_Y == c].mean(axis=0)) ** 2).sum() for c in range(3))
    at3 = ks.loc[(ks["axis"] == "shape") & (ks["k"] == 3)].set_index("method")
    assert at3.loc["gmm", "inertia"] == pytest.approx(planted_w, rel=1e-6)
    assert at3.loc["fcm", "inertia"] == pytest.approx(planted_w, rel=1e-3)  # FCM centres: close to the means
    assert ks.loc[ks["axis"] == "shape", "features_used"].eq("x,y").all()
    assert ks.loc[ks["method"] == "neural", ["axis", "n_components"]].values.tolist() == [
        ["shape", 2]] * 4 + [["returns", 1]] * 4  # the embedding is capped at the axis size
    assert ks.loc[ks["method"] != "neural", "n_components"].tolist() == [2] * 8 + [1] * 8
    shape_gmm = ks.loc[(ks["axis"] == "shape") & (ks["method"] == "gmm")].set_index("k")
    assert shape_gmm.loc[3, "n_clusters_found"] == 3 and shape_gmm.loc[3, "largest_share"] == pytest.approx(1 / 3)
    assert shape_gmm.loc[3, "smallest_cluster_share"] == pytest.approx(1 / 3)  # 3 blobs of 80


def test_memberships_sum_to_one(outputs):
    m = outputs["segment_memberships"]
    sums = m.groupby(KEYS)["membership"].sum()
    assert len(sums) == 240 * 2 * 3
    np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=1e-9)
    neural = m[m["method"] == "neural"]["membership"]
    assert set(neural.unique()) <= {0.0, 1.0}


def test_assignments_agree_with_memberships(outputs):
    m, a = outputs["segment_memberships"], outputs["segment_assignments"]
    top = m.sort_values("membership", ascending=False, kind="stable").drop_duplicates(KEYS)
    merged = a.merge(top, on=KEYS, suffixes=("", "_m"))
    assert len(merged) == len(a) == 240 * 6
    np.testing.assert_allclose(merged["max_membership"], merged["membership"])
    assert (a["second_segment_id"] != a["segment_id"]).all()
    assert (a.loc[a["method"] == "neural", "second_membership"] == 0).all()
    assert (a["max_membership"] >= a["second_membership"]).all()
    assert (a["segment_path"].str.split(".").str[0].astype(int) == a["segment_id"]).all()
    assert (a["segment_path"].str.count(r"\.") == a["depth"]).all()
    assert (a["distance_to_centroid"] >= 0).all()


def test_canonical_ids_follow_the_first_feature(outputs):
    a = outputs["segment_assignments"]
    shape = a[a["axis"] == "shape"].merge(FEATURES[["customer_id", "x"]], on="customer_id")
    for _, grp in shape.groupby("method"):
        means = grp.groupby("segment_id")["x"].mean()
        assert means.is_monotonic_increasing


def test_run_ids_shared_across_outputs(outputs):
    ids = [set(map(tuple, o[["axis", "method", "run_id"]].drop_duplicates().to_numpy())) for o in outputs.values()]
    assert ids[0] == ids[1] == ids[2] == ids[3]
    assert len(ids[0]) == 6 and len({r for _, _, r in ids[0]}) == 6


def test_fit_metrics_consistent_with_assignments(outputs):
    fm, a, ks = outputs["segment_fit_metrics"], outputs["segment_assignments"], outputs["segment_k_selection"]
    chosen = ks[ks["is_chosen"]].set_index(["axis", "method"])
    for row in fm.itertuples():
        rows = a[(a["axis"] == row.axis) & (a["method"] == row.method)]
        assert row.k == chosen.loc[(row.axis, row.method), "k"]
        assert row.silhouette == pytest.approx(chosen.loc[(row.axis, row.method), "silhouette"])
        assert row.n_leaf_segments == rows["segment_path"].nunique()
        assert row.max_share_after_subdivision == pytest.approx(rows["segment_path"].value_counts().max() / 240)
        assert row.max_share_before_subdivision == pytest.approx(rows["segment_id"].value_counts().max() / 240)
        if row.method == "gmm":
            assert row.high_confidence_count == (rows["max_membership"] >= 0.9).sum()
            assert row.low_confidence_count == (rows["max_membership"] < 0.6).sum()
            assert row.covariance_type == "full" and pd.isna(row.fuzziness)
        else:
            assert pd.isna(row.high_confidence_count)
    assert fm.loc[fm["method"] == "neural", "encoding_dim"].tolist() == [2, 1]  # capped at the axis size
    assert json.loads(fm["settings_json"].iloc[0])["neural"]["epochs"] == 60


def test_deterministic_and_row_order_free(outputs):
    # a second fit from scratch (nothing is kept between calls), on shuffled rows, under another model name
    shuffled = FEATURES.sample(frac=1.0, random_state=3)
    cold = segment_all(shuffled, META, model="another_model")
    pd.testing.assert_frame_equal(segment_assignments(cold), outputs["segment_assignments"])
    pd.testing.assert_frame_equal(segment_k_selection(cold), outputs["segment_k_selection"])


def test_run_id_covers_the_data():
    meta = {**META, "methods": ["gmm"]}
    base = segment_fit_metrics(segment_all(FEATURES, meta, model=MODEL))
    nudged = FEATURES.assign(r=FEATURES["r"] + np.where(np.arange(240) == 0, 1e-3, 0.0))
    other = segment_fit_metrics(segment_all(nudged, meta, model=MODEL))
    assert base["run_id"].iloc[0] == other["run_id"].iloc[0]  # the shape axis: same data
    assert base["run_id"].iloc[1] != other["run_id"].iloc[1]  # the returns axis: one value nudged


def test_run_id_tracks_relevant_settings_only(outputs):
    fm = outputs["segment_fit_metrics"].set_index(["axis", "method"])["run_id"]
    meta = {**META, "axes": {"shape": ["x", "y"]}, "methods": ["fcm", "gmm"], "fcm": {"m": 1.8}}
    other = segment_fit_metrics(segment_all(FEATURES, meta, model=MODEL)).set_index(["axis", "method"])["run_id"]
    assert other[("shape", "gmm")] == fm[("shape", "gmm")]
    assert other[("shape", "fcm")] != fm[("shape", "fcm")]


# --- balance-aware selection and subdivision on long-tailed data -------------------------------------------------

SIZES = [550, 220, 140, 70, 20]


def _long_tail(centers):
    X, _ = make_blobs(n_samples=SIZES, centers=centers, cluster_std=1.0, random_state=42)
    return pd.DataFrame({"cid": np.arange(len(X)), "a": X[:, 0], "b": X[:, 1]})


def _run(frame, rule, method):
    meta = {"id_column": "cid", "axes": {"ax": ["a", "b"]}, "methods": [method], "selection_rule": rule}
    fit = segment_all(frame, meta, model=MODEL)
    ks = segment_k_selection(fit)
    return ks[ks["is_chosen"]].iloc[0], segment_assignments(fit)


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_well_separated_long_tail(method):
    # Well separated: plain silhouette finds the 5 planted blobs, whose largest is 55% (< 60%) by construction.
    frame = _long_tail([[0, 0], [10, 0], [0, 10], [10, 10], [20, 20]])
    chosen, assigned = _run(frame, "silhouette", method)
    assert (chosen["k"], chosen["largest_share"]) == (5, pytest.approx(0.55))
    chosen, assigned = _run(frame, "balanced", method)
    assert assigned["segment_path"].value_counts(normalize=True).max() <= 0.6


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_giant_segment_is_subdivided(method):
    # The two big blobs touch: silhouette merges them into one segment holding 77% of the customers.
    frame = _long_tail([[0, 0], [5, 0], [20, 0], [20, 20], [0, 20]])
    chosen, _ = _run(frame, "silhouette", method)
    assert chosen["largest_share"] > 0.6
    chosen, assigned = _run(frame, "balanced", method)
    assert assigned["segment_path"].value_counts(normalize=True).max() <= 0.6
    assert (assigned["depth"] >= 1).any()


# --- input errors ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (FEATURES.drop(columns="r"),
         r"int_customer_assignments: feature column\(s\) 'r' \(axis returns\) \(config.meta.axes\) missing"),
        (FEATURES.assign(r=np.where(np.arange(240) < 7, np.nan, _R)),
         r"feature column 'r' \(axis returns\) has 7 null/NaN/inf value\(s\), e.g. for customer_id .*\(\+2 more\)"),
        (FEATURES.assign(x=np.where(np.arange(240) == 3, np.inf, _X[:, 0])), r"column 'x' \(axis shape\) has 1 null"),
        (FEATURES.assign(customer_id=1), r"id column 'customer_id' has 1 duplicated id"),
        (FEATURES.drop(columns="customer_id"), r"id column 'customer_id' \(config.meta.id_column\) is missing"),
        (FEATURES.assign(r="high"), r"feature column 'r' \(axis returns\) has non-numeric type"),
        (FEATURES.head(2), r"int_customer_assignments: customer_features has 2 row\(s\); segmenting into k_min = 2 "
                           r"or more segments needs at least k_min \+ 1 = 3 rows"),
    ],
)
def test_input_errors_name_model_column_and_fix(frame, match):
    with pytest.raises(InputDataError, match=match):
        segmentation_table(frame, META, model=MODEL)
