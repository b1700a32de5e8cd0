"""customer_segment_profiles against pandas, on the warehouse built by `make dbt-test`.

The model computes its quantiles in bounded memory: a candidate from approx_quantile, placed among the
segment's members in a second pass (macros/quantiles.sql). Here every profile row is recomputed from
customer_segments and customer_features (the features each fit used, from customer_fit_metrics): the median,
q25 and q75 exactly, with linear interpolation as percentile_cont, must be within 1 % of the segment's range of
the feature (|approx - exact| <= 0.01 (max - min)), and so must the GMM probability median (range of the
members' probability). Sizes, minima and maxima must be equal; means equal to 1e-12 relative (the engine adds
the doubles in its own order, which is not pandas').
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.integration

KEYS = ["axis", "method", "segment_path", "is_top_level", "feature"]
QUANTILES = {"q25": 0.25, "median": 0.5, "q75": 0.75}
#: the accuracy claim: an approximate quantile is within this share of the segment's range of the values
MAX_RANGE_SHARE = 0.01


def _expected_profiles(query) -> pd.DataFrame:
    """One row per fitted axis, method, segment (top-level and subsegment) and feature the fit used."""
    segments = query("select axis, method, segment_id, segment_path, depth, customer_id, max_membership "
                     "from customer_segments")
    features = query("select * from customer_features")
    numeric = [c for c in features.columns if c != "customer_id" and pd.api.types.is_numeric_dtype(features[c])
               and not pd.api.types.is_bool_dtype(features[c])]
    fits = query("select axis, method, features_used from customer_fit_metrics where status = 'fitted'")
    rows = []
    for fit in fits.itertuples(index=False):
        used = [c for c in numeric if c in fit.features_used.split(",")]
        members = segments[(segments["axis"] == fit.axis) & (segments["method"] == fit.method)]
        members = members.merge(features[["customer_id", *used]], on="customer_id", validate="many_to_one")
        top = members.assign(segment_path=members["segment_id"].astype(str), is_top_level=True)
        sub = members[members["depth"] > 0].assign(is_top_level=False)
        for (path, is_top_level), group in pd.concat([top, sub]).groupby(["segment_path", "is_top_level"]):
            probability = group["max_membership"]
            for column in used:
                values = group[column].astype(float)
                rows.append({"axis": fit.axis, "method": fit.method, "segment_path": path,
                             "is_top_level": is_top_level, "feature": column, "size": len(group),
                             "mean": values.mean(), "min": values.min(), "max": values.max(),
                             **{name: values.quantile(q) for name, q in QUANTILES.items()},
                             "probability_median": probability.median(),
                             "probability_range": probability.max() - probability.min()})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def compared(query) -> pd.DataFrame:
    """The profiles beside pandas' values (suffix _pandas), one row per profile row."""
    profiles = query("select * from customer_segment_profiles")
    expected = _expected_profiles(query)
    assert len(expected) > 100
    merged = profiles.merge(expected, on=KEYS, how="outer", suffixes=("", "_pandas"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", [*KEYS, "_merge"]]
    return merged


def _range_errors(compared: pd.DataFrame, column: str, exact: str, spread: pd.Series) -> pd.Series:
    """|approx - exact| as a share of `spread` (0 where both agree; inf where the spread is 0 and they differ)."""
    error = (compared[column] - compared[exact]).abs()
    return (error / spread).where(error > 0, 0.0)


@pytest.mark.parametrize("quantile", list(QUANTILES))
def test_quantiles_are_within_one_percent_of_the_range_of_exact_ones(compared, quantile):
    errors = _range_errors(compared, quantile, f"{quantile}_pandas", compared["max_pandas"] - compared["min_pandas"])
    worst = compared.loc[errors.idxmax(), KEYS].tolist()
    print(f"{quantile}: {len(errors)} segments x features, largest |approx - exact| / (max - min) "
          f"{errors.max():.3g} at {worst}")
    assert errors.max() <= MAX_RANGE_SHARE, compared.loc[errors > MAX_RANGE_SHARE, [*KEYS, quantile,
                                                                                    f"{quantile}_pandas"]]


def test_the_gmm_probability_median_is_within_one_percent_of_the_range(compared):
    gmm = compared[compared["method"] == "gmm"]
    errors = _range_errors(gmm, "probability_median", "probability_median_pandas", gmm["probability_range"])
    print(f"probability_median: {len(gmm)} rows, largest error / range {errors.max():.3g}")
    assert len(gmm) > 0 and errors.max() <= MAX_RANGE_SHARE
    assert compared.loc[compared["method"] != "gmm", "probability_median"].isna().all()


def test_sizes_minima_and_maxima_are_exact_and_means_agree(compared):
    assert (compared["size"] == compared["size_pandas"]).all()
    assert (compared["min"] == compared["min_pandas"]).all()
    assert (compared["max"] == compared["max_pandas"]).all()
    np.testing.assert_allclose(compared["mean"], compared["mean_pandas"], rtol=1e-12, atol=0)
