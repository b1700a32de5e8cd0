"""Tests for cluster_marts.profiling.stats: Kruskal-Wallis by group and 2-D PCA."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from cluster_marts.profiling.stats import KRUSKAL_COLUMNS, epsilon_squared, kruskal_by_group, pca_2d

FRAME = pd.DataFrame(
    {
        "region": ["eu", "eu", "eu", "us", "us", "us", "asia", "asia", None],
        "price": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, np.nan, 100.0],
        "speed": [np.nan, np.nan, np.nan, 1.0, 1.0, 2.0, 3.0, 3.0, 9.0],
        "only_eu": [1.0, 2.0, 3.0, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan],
        "constant": [5.0] * 9,
    }
)


def test_kruskal_matches_scipy():
    out = kruskal_by_group(FRAME, "region", ["price", "speed"])
    assert list(out.columns) == KRUSKAL_COLUMNS
    assert out["metric"].tolist() == ["price", "speed"]
    price = out.iloc[0]
    ref = sps.kruskal([7.0], [1.0, 2.0, 3.0], [4.0, 5.0, 6.0])  # null region and NaN value dropped
    assert (price["n_groups"], price["n_observations"]) == (3, 7)
    assert price["h_statistic"] == pytest.approx(ref.statistic)
    assert price["p_value"] == pytest.approx(ref.pvalue)
    assert price["epsilon_squared"] == pytest.approx(ref.statistic * 8 / 48)
    speed = out.iloc[1]  # eu has no values -> dropped
    ref = sps.kruskal([3.0, 3.0], [1.0, 1.0, 2.0])
    assert (speed["n_groups"], speed["n_observations"]) == (2, 5)
    assert speed["h_statistic"] == pytest.approx(ref.statistic)


def test_kruskal_degenerate_cases_give_nan():
    out = kruskal_by_group(FRAME, "region", ["only_eu", "constant"])
    assert out["n_groups"].tolist() == [1, 3]
    assert out[["h_statistic", "p_value", "epsilon_squared"]].isna().all().all()


def test_kruskal_dtypes_and_missing_column():
    out = kruskal_by_group(FRAME, "region", ["price"])
    assert out["n_groups"].dtype == np.int64 and out["h_statistic"].dtype == np.float64
    assert pd.api.types.is_string_dtype(out["metric"])
    with pytest.raises(KeyError, match="not in frame"):
        kruskal_by_group(FRAME, "region", ["volume"])


def test_epsilon_squared_by_hand():
    # H / ((n^2 - 1) / (n + 1)) with H = 4.5, n = 10: 4.5 / (99 / 11) = 0.5
    assert epsilon_squared(4.5, 10) == pytest.approx(0.5)
    assert np.isnan(epsilon_squared(1.0, 1))


def test_pca_2d():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3)) * [10.0, 1.0, 0.1]
    coords, ratio = pca_2d(X)
    assert coords.shape == (50, 2) and ratio.shape == (2,)
    assert ratio[0] > 0.95 and ratio.sum() <= 1.0
    np.testing.assert_allclose(np.abs(coords[:, 0]), np.abs(X[:, 0] - X[:, 0].mean()), rtol=0.05, atol=0.5)
    coords2, _ = pca_2d(X)
    np.testing.assert_array_equal(coords, coords2)


def test_pca_2d_pads_one_feature_and_constant_data():
    coords, ratio = pca_2d(np.array([[1.0], [2.0], [3.0]]))
    np.testing.assert_allclose(np.abs(coords[:, 0]), [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(coords[:, 1], 0.0)
    np.testing.assert_allclose(ratio, [1.0, 0.0])
    coords, ratio = pca_2d(np.ones((4, 3)))
    assert not coords.any() and not ratio.any()
