"""Tests for cluster_marts.preprocessing.scaling: parameters, round trip, constant columns."""

import numpy as np
import pandas as pd
import pytest

from cluster_marts.errors import SettingsError
from cluster_marts.preprocessing.scaling import fit_scaler, inverse_transform, scaler_params_frame, transform

# hand-computable toy set: column a = 1..4, column b constant
X_TOY = np.array([[1.0, 3.0], [2.0, 3.0], [3.0, 3.0], [4.0, 3.0]])
FEATURES = ("a", "b")
RNG_X = np.random.default_rng(0).normal(loc=5.0, scale=[1.0, 10.0, 0.1], size=(50, 3))


@pytest.mark.parametrize(
    "method, center, scale",
    [
        ("standard", [2.5, 3.0], [np.sqrt(1.25), 1.0]),  # var = (2.25+0.25+0.25+2.25)/4
        ("minmax", [1.0, 3.0], [3.0, 1.0]),
        ("robust", [2.5, 3.0], [1.5, 1.0]),  # q25=1.75, q75=3.25
        ("none", [0.0, 0.0], [1.0, 1.0]),
    ],
)
def test_parameters_by_hand(method, center, scale):
    p = fit_scaler(X_TOY, method, FEATURES)
    assert p.method == method and p.features == FEATURES
    np.testing.assert_allclose(p.center, center)
    np.testing.assert_allclose(p.scale, scale)


@pytest.mark.parametrize("method", ["standard", "minmax", "robust", "none"])
def test_round_trip(method):
    p = fit_scaler(RNG_X, method, ["u", "v", "w"])
    Xs = transform(RNG_X, p)
    np.testing.assert_allclose(inverse_transform(Xs, p), RNG_X, rtol=1e-12)
    if method != "none":
        assert not np.allclose(Xs, RNG_X)


@pytest.mark.parametrize("method", ["standard", "minmax", "robust"])
def test_constant_column_becomes_zero(method):
    Xs = transform(X_TOY, fit_scaler(X_TOY, method, FEATURES))
    assert np.isfinite(Xs).all()
    np.testing.assert_array_equal(Xs[:, 1], 0.0)


def test_standard_matches_sklearn():
    from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

    for method, ref in [("standard", StandardScaler()), ("minmax", MinMaxScaler()), ("robust", RobustScaler())]:
        np.testing.assert_allclose(transform(RNG_X, fit_scaler(RNG_X, method, "uvw")), ref.fit_transform(RNG_X))


def test_params_frame():
    frame = scaler_params_frame(fit_scaler(X_TOY, "minmax", FEATURES))
    assert list(frame.columns) == ["feature", "method", "center", "scale", "clip_lower", "clip_upper"]
    assert frame[["clip_lower", "clip_upper"]].isna().all().all()  # not clipped
    assert frame["feature"].tolist() == ["a", "b"] and frame["method"].tolist() == ["minmax"] * 2
    assert frame["center"].tolist() == [1.0, 3.0] and frame["scale"].tolist() == [3.0, 1.0]
    assert frame["center"].dtype == np.float64 and pd.api.types.is_string_dtype(frame["feature"])


def test_errors():
    with pytest.raises(SettingsError, match="'scaling'='zscore' is not allowed; use one of: minmax, none"):
        fit_scaler(X_TOY, "zscore", FEATURES)
    with pytest.raises(ValueError, match="X has 2 columns but 3 features"):
        fit_scaler(X_TOY, "standard", ["a", "b", "c"])
    with pytest.raises(ValueError, match="NaN or inf"):
        fit_scaler(np.array([[1.0], [np.nan]]), "standard", ["a"])
