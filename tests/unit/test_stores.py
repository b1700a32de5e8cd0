"""Several shops: the cross-store test of segment shares and the demo's store assignment."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from cluster_marts.demo.customers import generate
from cluster_marts.demo.customers_stores import assign_stores, store_names
from cluster_marts.errors import InputDataError
from cluster_marts.profiling.stores import STORE_TEST_COLUMNS, compare_stores, store_pair_test


def test_the_pair_test_is_the_chi_square_of_the_table_worked_by_hand():
    # expected 20 in every cell: chi2 = 4 * 10**2 / 20 = 20, one degree of freedom, V = sqrt(20 / 80)
    chi2, dof, p_value, cramers_v = store_pair_test(np.array([[30, 10], [10, 30]]))
    assert chi2 == pytest.approx(20.0) and dof == 1 and cramers_v == pytest.approx(0.5)
    assert p_value == pytest.approx(sps.chi2.sf(20.0, 1))


def test_segments_neither_store_has_are_left_out_and_one_segment_compares_nothing():
    assert store_pair_test(np.array([[30, 0, 10], [10, 0, 30]]))[:2] == (pytest.approx(20.0), 1)
    assert store_pair_test(np.array([[30, 0], [10, 0]])) == (0.0, 0, 1.0, 0.0)


def _planted(seed: int, n: int = 600) -> pd.DataFrame:
    """Two axes, three stores: a and b draw segments alike, c from another mix on axis `planted` only."""
    rng = np.random.default_rng(seed)
    frames = []
    for store in ("a", "b", "c"):
        for axis, mix in (("planted", [0.5, 0.3, 0.2] if store != "c" else [0.2, 0.3, 0.5]),
                          ("same", [0.4, 0.4, 0.2])):
            frames.append(pd.DataFrame({"axis": axis, "store_id": store, "segment_id": rng.choice(3, n, p=mix)}))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_planted_store_differs_on_the_planted_axis_only(seed):
    result = compare_stores(_planted(seed)).set_index(["axis", "store_id", "other_store_id"])
    assert list(result.reset_index().columns) == STORE_TEST_COLUMNS and len(result) == 6
    assert (result["tests"] == 6).all()
    significant = set(result.index[result["is_significant"]])
    assert significant == {("planted", "a", "c"), ("planted", "b", "c")}


def test_the_significance_level_is_split_over_the_tests():
    frame = _planted(1)
    result = compare_stores(frame, {"alpha": 0.05})
    assert (result["is_significant"] == (result["p_value"] < 0.05 / 6)).all()
    with pytest.raises(InputDataError, match="alpha = 1.5 must be between 0 and 1"):
        compare_stores(frame, {"alpha": 1.5})


def test_without_two_stores_there_is_nothing_to_compare():
    frame = _planted(1)
    assert compare_stores(frame.assign(store_id=None)).empty
    assert compare_stores(frame[frame["store_id"] == "a"]).empty
    with pytest.raises(InputDataError, match=r"lack the columns \['store_id'\]"):
        compare_stores(frame.drop(columns="store_id"))


@pytest.fixture(scope="module")
def demo():
    return generate("small", 42)


def test_stores_relabel_the_customers_and_leave_the_orders_as_they_were(demo):
    spread = assign_stores(demo, 3, 42)
    before, after = demo["customer_orders.parquet"].to_pandas(), spread["customer_orders.parquet"].to_pandas()
    assert list(after.columns) == [*before.columns[:2], "store_id", *before.columns[2:]]
    pd.testing.assert_frame_equal(before.drop(columns="customer_id"), after.drop(columns=["customer_id", "store_id"]))
    truth = spread["demo_truth_customers.parquet"].to_pandas()
    assert set(truth["store_id"]) == set(store_names(3))
    # each store numbers its customers from C-000001; a customer's orders keep one store and one local id
    for _, ids in truth.groupby("store_id")["customer_id"]:
        assert sorted(ids) == [f"C-{k:06d}" for k in range(1, len(ids) + 1)]
    keyed = after.dropna(subset=["store_id"])
    pairs = set(zip(keyed["store_id"], keyed["customer_id"].str.strip(), strict=True))
    assert pairs <= set(zip(truth["store_id"], truth["customer_id"], strict=True))
    assert assign_stores(demo, 3, 42)["customer_orders.parquet"].equals(spread["customer_orders.parquet"])


@pytest.mark.parametrize("seed", [42, 7])
def test_the_last_store_takes_the_repeat_buyers(seed):
    truth = assign_stores(generate("small", seed), 3, seed)["demo_truth_customers.parquet"].to_pandas()
    repeat = truth["persona"].isin(["active_hobbyist", "super_engaged", "enterprise"])
    share = repeat.groupby(truth["store_id"]).mean()
    assert share["store_c"] > 2.5 * max(share["store_a"], share["store_b"])
    assert math.isclose(share["store_a"], share["store_b"], abs_tol=0.05)
