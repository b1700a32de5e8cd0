"""Degenerate axes and data in the customer segmentation: skipped axes, dropped features, too few customers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.customers import (
    segment_all,
    segment_assignments,
    segment_fit_metrics,
    segment_k_selection,
    segment_memberships,
    segmentation_table,
)
from cluster_marts.adapters.customers.reference import reference_model
from cluster_marts.adapters.long_table import RECORD_TYPE, packed_rows
from cluster_marts.errors import InputDataError
from cluster_marts.preprocessing.axis_inputs import distinct_rows

MODEL = "int_customer_segmentation"
METHODS = ["fcm", "gmm", "neural"]
META = {"id_column": "customer_id", "axes": {"shape": ["x", "y"], "returns": ["return_rate", "exchanges"]},
        "methods": METHODS, "k_max": 5, "selection_rule": "silhouette", "neural": {"epochs": 60, "hidden_units": 8},
        "subdivision": {"max_depth": 0}, "random_state": 42}


def blobs(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Three round gaussian blobs of unequal size (150 / 100 / 50)."""
    return make_blobs(n_samples=[150, 100, 50], centers=[[0, 0], [6, 0], [0, 6]], cluster_std=0.8,
                      random_state=seed)


def stretched(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Three groups drawn with numpy: different spreads per group and feature, on different feature scales."""
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(3), [120, 120, 60])
    centres, spreads = np.array([[0.0, 100.0], [8.0, 100.0], [4.0, 160.0]]), np.array([[1.0, 5.0], [0.6, 8.0],
                                                                                      [0.8, 4.0]])
    return centres[y] + spreads[y] * rng.standard_normal((y.size, 2)), y


def planted(generator, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Customers (ids shuffled) with a planted ``shape`` axis and a ``returns`` axis constant for everyone."""
    X, y = generator(seed)
    order = np.random.default_rng(seed + 100).permutation(y.size)
    frame = pd.DataFrame({"customer_id": [f"c{i:04d}" for i in order], "x": X[:, 0], "y": X[:, 1],
                          "return_rate": 0.0, "exchanges": 1.0})
    return frame, pd.Series(y, index=frame["customer_id"])


@pytest.fixture(scope="module", params=[(blobs, 0), (stretched, 7)], ids=["blobs-seed0", "stretched-seed7"])
def case(request):
    generator, seed = request.param
    frame, truth = planted(generator, seed)
    return frame, truth, segment_all(frame, META, model=MODEL), segmentation_table(frame, META, model=MODEL)


def test_constant_axis_is_skipped_once_per_method_with_its_reason(case):
    frame, _, fit, _ = case
    fm = segment_fit_metrics(fit)
    returns = fm[fm["axis"] == "returns"]
    assert returns["method"].tolist() == METHODS and (returns["status"] == "skipped").all()
    assert returns["reason"].unique().tolist() == [
        "axis returns: every feature is constant (return_rate = 0, exchanges = 1 for all 300 customers); "
        "not segmented"]
    assert returns["k"].isna().all() and returns["features_used"].isna().all() and returns["silhouette"].isna().all()
    assert (returns["n_samples"] == 300).all() and (returns["features"] == "return_rate,exchanges").all()
    assert returns["run_id"].str.fullmatch(r"[0-9a-f]{16}").all() and returns["run_id"].nunique() == 3
    shape = fm[fm["axis"] == "shape"]
    assert (shape["status"] == "fitted").all() and shape["reason"].isna().all() and (shape["k"] == 3).all()
    assert fm[["axis", "method"]].values.tolist() == [[a, m] for a in ("shape", "returns") for m in METHODS]


def test_constant_axis_has_no_k_selection_assignments_or_memberships(case):
    _, _, fit, long = case
    for table in (segment_k_selection(fit), segment_assignments(fit), segment_memberships(fit)):
        assert set(table["axis"]) == {"shape"}
    rows = long.to_pandas()
    assert set(rows.loc[rows[RECORD_TYPE] == "assignment", "axis"].astype(str)) == {"shape"}
    assert len(rows[rows[RECORD_TYPE] == "assignment"]) == 300 * 3
    assert set(packed_rows(rows, "k_selection", ["axis"])["axis"]) == {"shape"}
    packed = packed_rows(rows, "fit_metrics", ["axis", "method", "status", "reason", "k"])
    assert packed.groupby("axis")["status"].agg(list).to_dict() == {"returns": ["skipped"] * 3,
                                                                    "shape": ["fitted"] * 3}


def test_varying_axis_recovers_the_planted_clusters(case):
    _, truth, fit, _ = case
    a = segment_assignments(fit)
    for method in METHODS:
        rows = a[(a["axis"] == "shape") & (a["method"] == method)]
        ari = adjusted_rand_score(truth.loc[rows["customer_id"]].to_numpy(), rows["segment_id"].to_numpy())
        assert ari >= 0.9, (method, ari)


def test_reference_model_has_no_rows_for_a_skipped_axis(case):
    frame, _, fit, _ = case
    reference = reference_model(frame, META, model="int_customer_reference_model")
    assert set(reference["axis"]) == {"shape"} and set(reference["feature"]) == {"x", "y"}
    fcm = segment_fit_metrics(fit).set_index(["axis", "method"]).loc[("shape", "fcm")]
    assert reference["run_id"].unique().tolist() == [fcm["run_id"]] and reference["k"].unique().tolist() == [3]


def test_all_null_axis_is_skipped():
    frame, _ = planted(blobs, 0)
    frame = frame.assign(share_a=np.nan, share_b=None)
    meta = {**META, "axes": {"shape": ["x", "y"], "mix": ["share_a", "share_b"]}, "methods": ["fcm"]}
    fit = segment_all(frame, meta, model=MODEL)
    fm = segment_fit_metrics(fit).set_index("axis")
    assert fm.loc["mix", "status"] == "skipped"
    assert fm.loc["mix", "reason"] == ("axis mix: every feature is null (share_a null, share_b null for all 300 "
                                       "customers); not segmented")
    assert set(segment_assignments(fit)["axis"]) == {"shape"}
    mixed = frame.assign(share_a=0.25)
    meta_mixed = {**meta, "axes": {"mix": ["share_a", "share_b"]}}
    reason = segment_fit_metrics(segment_all(mixed, meta_mixed, model=MODEL)).loc[0, "reason"]
    assert reason == ("axis mix: every feature is constant or null (share_a = 0.25, share_b null for all 300 "
                      "customers); not segmented")


def test_a_feature_null_for_some_customers_only_is_still_an_error():
    frame, _ = planted(blobs, 0)
    frame.loc[:4, "x"] = np.nan
    with pytest.raises(InputDataError, match=r"feature column 'x' \(axis shape\) has 5 null/NaN/inf value\(s\)"):
        segment_all(frame, META, model=MODEL)


@pytest.mark.parametrize(("values", "k_min", "reason"), [
    ([[4.0, 1.0]] * 300, 2,
     "axis point: every feature is constant (a = 4, b = 1 for all 300 customers); not segmented"),
    ([[0.0, 1.0], [1.0, 0.0]] * 150, 3,
     "axis point: 2 distinct points over 300 customers, fewer than k_min = 3; not segmented"),
])
def test_too_few_distinct_points_skip_the_axis(values, k_min, reason):
    frame, _ = planted(blobs, 0)
    frame[["a", "b"]] = np.array(values)
    meta = {**META, "axes": {"shape": ["x", "y"], "point": ["a", "b"]}, "methods": ["fcm", "gmm"], "k_min": k_min}
    fit = segment_all(frame, meta, model=MODEL)
    fm = segment_fit_metrics(fit)
    point = fm[fm["axis"] == "point"]
    assert point["status"].tolist() == ["skipped", "skipped"] and point["reason"].unique().tolist() == [reason]
    assert set(segment_assignments(fit)["axis"]) == {"shape"} and set(segment_k_selection(fit)["axis"]) == {"shape"}
    assert (fm.loc[fm["axis"] == "shape", "k"] >= k_min).all()


def test_three_distinct_points_are_enough_for_k_min_3():
    frame, _ = planted(blobs, 0)
    frame[["a", "b"]] = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 100)
    meta = {**META, "axes": {"point": ["a", "b"]}, "methods": ["fcm"], "k_min": 3}
    fit = segment_all(frame, meta, model=MODEL)
    (r,) = fit.results
    assert segment_fit_metrics(fit).loc[0, "status"] == "fitted"
    # the three points are the three segments: each point's rows share one segment, and the segments differ
    point = frame.sort_values("customer_id")[["a", "b"]].astype(str).agg(",".join, axis=1).to_numpy()
    assert adjusted_rand_score(point, r.labels) == 1.0


def test_constant_feature_of_a_varying_axis_is_left_out_of_its_fit():
    frame, truth = planted(blobs, 0)
    frame = frame.assign(share_other=0.0, share_gone=np.nan)
    meta = {**META, "axes": {"shape": ["x", "share_other", "y", "share_gone"]}}
    fit = segment_all(frame, meta, model=MODEL)
    plain = segment_all(frame, {**META, "axes": {"shape": ["x", "y"]}}, model=MODEL)
    fm = segment_fit_metrics(fit)
    assert (fm["status"] == "fitted").all() and fm["reason"].isna().all()
    assert (fm["features"] == "x,share_other,y,share_gone").all() and (fm["features_used"] == "x,y").all()
    ks = segment_k_selection(fit)
    assert (ks["features"] == "x,share_other,y,share_gone").all() and (ks["features_used"] == "x,y").all()
    # the fit is the fit of the axis without them (independently configured), to the bit
    columns = ["customer_id", "axis", "method", "segment_id", "max_membership", "segment_path"]
    pd.testing.assert_frame_equal(segment_assignments(fit)[columns], segment_assignments(plain)[columns])
    assignments = segment_assignments(fit)
    for method in METHODS:
        rows = assignments[assignments["method"] == method]
        assert adjusted_rand_score(truth.loc[rows["customer_id"]], rows["segment_id"]) >= 0.9, method
    # the configured columns, the dropped ones included, enter the run id: it differs from the plain axis's
    assert set(fm["run_id"]).isdisjoint(segment_fit_metrics(plain)["run_id"])
    reference = reference_model(frame, meta, model="int_customer_reference_model")
    assert reference["feature"].unique().tolist() == ["x", "y"]
    assert reference["run_id"].unique().tolist() == fm.loc[fm["method"] == "fcm", "run_id"].tolist()


def test_every_axis_skipped_gives_fit_metrics_only():
    frame, _ = planted(blobs, 0)
    meta = {**META, "axes": {"returns": ["return_rate"]}, "methods": ["fcm", "gmm"]}
    long = segmentation_table(frame, meta, model=MODEL).to_pandas()
    assert long[RECORD_TYPE].tolist() == ["fit_metrics", "fit_metrics"]
    record = json.loads(long["record"].iloc[0])
    assert record["status"] == "skipped" and record["k"] is None and record["converged"] is None
    assert segment_memberships(segment_all(frame, meta, model=MODEL)).empty
    assert reference_model(frame, meta, model="int_customer_reference_model").empty


# --- too few customers ---------------------------------------------------------------------------------------------


def test_no_customers_is_an_error_naming_the_model_and_the_reason():
    frame, _ = planted(blobs, 0)
    with pytest.raises(InputDataError) as err:
        segmentation_table(frame.iloc[:0], META, model=MODEL)
    assert str(err.value).startswith(
        "model int_customer_segmentation: customer_features has no rows: every order was quarantined or the orders "
        "source is empty; see stg_customer_orders_quarantine")
    with pytest.raises(InputDataError, match=r"^model int_customer_reference_model: int_customer_reference_features "
                                             r"has no rows: no valid order on or before the reference date"):
        reference_model(frame.iloc[:0], META, model="int_customer_reference_model")


@pytest.mark.parametrize(("n", "k_min"), [(1, 2), (2, 2), (4, 4), (3, 5)])
def test_fewer_customers_than_k_min_plus_one_is_an_error(n, k_min):
    frame, _ = planted(blobs, 0)
    meta = {**META, "k_min": k_min, "k_max": max(5, k_min)}
    with pytest.raises(InputDataError, match=(
            rf"^model int_customer_segmentation: customer_features has {n} row\(s\); segmenting into k_min = {k_min} "
            rf"or more segments needs at least k_min \+ 1 = {k_min + 1} rows")):
        segment_all(frame.iloc[:n], meta, model=MODEL)


def test_k_min_plus_one_customers_are_enough():
    frame, _ = planted(blobs, 0)
    fit = segment_all(frame.iloc[:4], {**META, "axes": {"shape": ["x", "y"]}, "methods": ["fcm"], "k_min": 3},
                      model=MODEL)
    assert segment_fit_metrics(fit)["k"].tolist() == [3]


def test_distinct_rows_counts_up_to_the_limit():
    X = np.array([[0.0, 1.0], [0.0, 1.0], [2.0, 1.0], [0.0, 2.0], [2.0, 1.0]])
    assert [distinct_rows(X, limit) for limit in (1, 2, 3, 4, 10)] == [1, 2, 3, 3, 3]
    assert distinct_rows(X[:0], 5) == 0
