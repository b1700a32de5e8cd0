"""FCM reference model of the membership snapshots (``cluster_marts.profiling.reference``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

from cluster_marts.adapters.customers import segment_all, segment_assignments, segment_fit_metrics, segment_memberships
from cluster_marts.adapters.customers.reference import REFERENCE_COLUMNS, reference_model
from cluster_marts.errors import SettingsError
from cluster_marts.profiling.reference import score_memberships

MODEL = "int_customer_reference_model"
_X, _ = make_blobs(n_samples=240, centers=[[0, 0], [6, 0], [0, 6]], cluster_std=0.7, random_state=0)
FEATURES = pd.DataFrame({
    "customer_id": np.random.default_rng(2).permutation(np.arange(5000, 5240)), "x": _X[:, 0], "y": _X[:, 1],
    "r": np.random.default_rng(1).gamma(1.0, 0.1, size=240), "label": "ignored",
})
META = {"id_column": "customer_id", "axes": {"shape": ["x", "y"], "returns": ["r"]}, "methods": ["fcm", "gmm"],
        "k_max": "5", "random_state": "42", "description": "test"}
DTYPES = {"axis": "str", "segment_id": "int64", "position": "int64", "feature": "str", "center_scaled": "float64",
          "scaler_center": "float64", "scaler_scale": "float64", "fuzziness": "float64", "k": "int64",
          "n_samples": "int64", "run_id": "str"}


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return reference_model(FEATURES, META, model=MODEL)


@pytest.fixture(scope="module")
def pipeline():
    """The segmentation pipeline's own fit of the same rows and settings."""
    return segment_all(FEATURES, META, model=MODEL)


def axis_model(reference: pd.DataFrame, axis: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, float]:
    """Features, centres (k, p), scaler centre and scale (p,) and m of one axis, read back from the table."""
    rows = reference[reference["axis"] == axis]
    features = list(dict.fromkeys(rows["feature"]))
    centers = rows.pivot(index="segment_id", columns="feature", values="center_scaled")[features].to_numpy()
    scaler = rows.drop_duplicates("feature").set_index("feature").loc[features]
    return (features, centers, scaler["scaler_center"].to_numpy(), scaler["scaler_scale"].to_numpy(),
            float(rows["fuzziness"].iloc[0]))


def scored(reference: pd.DataFrame, axis: str, features: pd.DataFrame = FEATURES) -> np.ndarray:
    """Memberships of ``features`` (sorted by id) in the stored reference model of ``axis``."""
    names, centers, center, scale, m = axis_model(reference, axis)
    return score_memberships(features.sort_values("customer_id")[names].to_numpy(), centers, center, scale, m)


def fit_memberships(axis: str, fit) -> np.ndarray:
    """The pipeline's fcm memberships of ``axis`` in ``fit`` (of ``segment_all``), (n, k), rows by sorted id."""
    m = segment_memberships(fit)
    m = m[(m["axis"] == axis) & (m["method"] == "fcm")]
    return m.pivot(index="customer_id", columns="segment_id", values="membership").to_numpy()


def test_columns_dtypes_and_shape(reference: pd.DataFrame) -> None:
    assert list(reference.columns) == REFERENCE_COLUMNS == list(DTYPES)
    assert reference.dtypes.astype(str).to_dict() == DTYPES
    assert reference["axis"].unique().tolist() == ["shape", "returns"]        # configuration order
    per_axis = reference.groupby("axis", sort=False).agg(k=("k", "first"), rows=("k", "size"))
    assert per_axis.loc["shape", "k"] == 3                                    # the planted blobs
    assert (per_axis["rows"] == per_axis["k"] * pd.Series({"shape": 2, "returns": 1})).all()
    assert not reference.duplicated(["axis", "segment_id", "feature"]).any()
    assert (reference["fuzziness"] == 2.0).all() and (reference["n_samples"] == 240).all()
    assert reference.groupby("axis")["run_id"].nunique().eq(1).all()
    # the scaler is the axis's standard scaler on these features, the same for every segment
    scaler = reference.groupby(["axis", "feature"])[["scaler_center", "scaler_scale"]].nunique()
    assert (scaler == 1).all().all()
    x = reference[(reference["feature"] == "x")].iloc[0]
    assert x["scaler_center"] == pytest.approx(FEATURES["x"].mean())
    assert x["scaler_scale"] == pytest.approx(FEATURES["x"].std(ddof=0))


def test_deterministic_and_row_order_free(reference: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(reference_model(FEATURES, META, model=MODEL), reference)
    shuffled = FEATURES.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(reference_model(shuffled, META, model=MODEL), reference)


def test_same_fit_ids_and_run_id_as_the_pipeline(reference: pd.DataFrame, pipeline) -> None:
    metrics = segment_fit_metrics(pipeline).query("method == 'fcm'").set_index("axis")
    first = reference.groupby("axis")[["k", "run_id"]].first()
    assert first["k"].to_dict() == metrics.loc[first.index, "k"].to_dict()
    assert first["run_id"].to_dict() == metrics.loc[first.index, "run_id"].to_dict()
    assignments = segment_assignments(pipeline).query("method == 'fcm'")
    for axis in ("shape", "returns"):
        ids = assignments[assignments["axis"] == axis].sort_values("customer_id")["segment_id"].to_numpy()
        assert np.array_equal(scored(reference, axis).argmax(axis=1), ids)
        # canonical: ascending centre on the axis's first feature
        _, centers, _, _, _ = axis_model(reference, axis)
        assert np.all(np.diff(centers[:, 0]) > 0)


def test_methods_setting_is_ignored(reference: pd.DataFrame) -> None:
    for methods in (["gmm"], ["fcm"], "neural"):
        pd.testing.assert_frame_equal(reference_model(FEATURES, {**META, "methods": methods}, model=MODEL),
                                      reference)


def test_scoring_reproduces_the_fit(reference: pd.DataFrame, pipeline) -> None:
    for axis in ("shape", "returns"):
        u, fit = scored(reference, axis), fit_memberships(axis, pipeline)
        np.testing.assert_allclose(u.sum(axis=1), 1.0, atol=1e-12)
        assert np.abs(u - fit).max() < 1e-5                      # default fcm.tol: one iteration apart
    tight = {**META, "fcm": {"tol": 1e-8}}                       # the formula itself is exact
    tight_reference = reference_model(FEATURES, tight, model=MODEL)
    tight_fit = segment_all(FEATURES, {**tight, "methods": ["fcm"]}, model=MODEL)
    for axis in ("shape", "returns"):
        assert np.abs(scored(tight_reference, axis) - fit_memberships(axis, tight_fit)).max() < 1e-6


def test_row_on_a_centre_is_one_hot(reference: pd.DataFrame) -> None:
    names, centers, center, scale, m = axis_model(reference, "shape")
    on_centres = centers * scale + center                        # raw values of the centres
    np.testing.assert_allclose(score_memberships(on_centres, centers, center, scale, m), np.eye(len(centers)),
                               atol=1e-9)
    exact = score_memberships(np.array([[2.0, 4.0], [1.0, 1.0]]), np.array([[0.0, 1.0], [1.0, 0.0]]),
                              np.array([2.0, 2.0]), np.array([2.0, 2.0]), 2.0)
    assert exact[0].tolist() == [1.0, 0.0]                        # d2 = 0 exactly: one-hot
    assert exact[1].tolist() == [0.5, 0.5]


def test_score_memberships_formula_and_guards() -> None:
    X = np.array([[0.0], [1.0], [3.0], [1e-160]])
    centers = np.array([[0.0], [2.0]])
    u = score_memberships(X, centers, 0.0, 1.0, 3.0)
    d2 = np.array([[1.0, 1.0], [9.0, 1.0]])                      # rows 1 and 2
    w = d2 ** (-1.0 / (3.0 - 1.0))
    np.testing.assert_allclose(u[1:3], w / w.sum(axis=1, keepdims=True), rtol=1e-15)
    assert u[0].tolist() == [1.0, 0.0] and np.isfinite(u).all()  # on a centre; very close: no overflow
    np.testing.assert_allclose(u[3], [1.0, 0.0], atol=1e-12)
    with pytest.raises(ValueError, match="m must be > 1"):
        score_memberships(X, centers, 0.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="shape"):
        score_memberships(np.zeros((2, 2)), centers, 0.0, 1.0, 2.0)


def test_reference_axes_filter(reference: pd.DataFrame) -> None:
    for value in (["returns"], "returns", " returns "):
        only = reference_model(FEATURES, {**META, "reference_axes": value}, model=MODEL)
        expected = reference[reference["axis"] == "returns"].reset_index(drop=True)
        pd.testing.assert_frame_equal(only, expected)
    both = reference_model(FEATURES, {**META, "reference_axes": ["returns", "shape"]}, model=MODEL)
    pd.testing.assert_frame_equal(both, reference)                   # configuration order
    assert reference_model(FEATURES, {**META, "reference_axes": None}, model=MODEL).equals(reference)
    # a restricted build does not need the other axes' columns
    only = reference_model(FEATURES.drop(columns=["x", "y"]), {**META, "reference_axes": ["returns"]}, model=MODEL)
    assert only["axis"].unique().tolist() == ["returns"]


def test_bad_axis_name_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match=rf"model {MODEL}: setting 'reference_axes'.*engagement.*shape, returns"):
        reference_model(FEATURES, {**META, "reference_axes": ["shape", "engagement"]}, model=MODEL)
    with pytest.raises(SettingsError, match=MODEL):
        reference_model(FEATURES, {**META, "k_max": "many"}, model=MODEL)
