"""Several shops in one warehouse: the demo's orders spread over three stores (`cluster-marts demo --stores 3`:
store_a and store_b planted alike, store_c with three times the share of repeat buyers), the store column
named `shop` and mapped through customer_orders_columns, built on the customer domain only. Checked: the
documented row counts of the pooled fit, the store-local ids kept apart, and the cross-store marts showing
the planted difference and no significant difference between the two stores planted alike."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import PROJECT_ROOT, run_dbt

from cluster_marts.demo import run_demo

pytestmark = pytest.mark.integration
SELECTION = ["+customer_store_comparison", "+customer_store_tests", "+customer_fit_metrics",
             "assert_every_customer_segmented_or_quarantined"]
#: axes over whole populations whose segments follow the planted personas
PERSONA_AXES = ["engagement", "value", "loyalty", "activity", "repeat_engagement"]


@pytest.fixture(scope="module")
def stores(raw_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stores")
    assert run_demo(out=tmp / "raw", stores=3) == 0
    orders = pq.read_table(tmp / "raw" / "customer_orders.parquet")
    pq.write_table(orders.rename_columns(["shop" if c == "store_id" else c for c in orders.column_names]),
                   tmp / "shop_orders.parquet")
    built = {}
    for mode in ("pooled", "per_store"):
        db = tmp / f"{mode}.duckdb"
        # per store, the profile too: its columns per configured axis come from the <axis>@<store> fits
        selection = SELECTION + (["+customer_profile"] if mode == "per_store" else [])
        result = run_dbt(["build", "-s", *selection], db=db, project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp,
                         dbt_vars={"customer_orders_path": str(tmp / "shop_orders.parquet"),
                                   "customer_orders_columns": {"store_id": "shop"},
                                   "cluster_marts_domains": ["customers"], "customer_store_fits": mode})
        assert result.returncode == 0, result.stdout[-4000:]
        # the nothing-lost test ran: every customer is segmented on every fitted axis (per store: its own)
        assert "assert_every_customer_segmented_or_quarantined" in result.stdout
        with duckdb.connect(str(db), read_only=True) as con:
            built[mode] = {name: con.sql(f"select * from {name}").df() for name in
                           ["customer_features", "customer_segments", "customer_store_comparison",
                            "customer_store_tests", "customer_fit_metrics", "stg_customer_orders"]}
            if mode == "per_store":
                built[mode]["customer_profile"] = con.sql("select * from customer_profile").df()
    truth = pd.read_parquet(tmp / "raw" / "demo_truth_customers.parquet")
    return built["pooled"] | {"truth": truth, "per_store": built["per_store"]}


def test_a_customer_is_the_pair_of_store_and_customer(stores):
    truth, features = stores["truth"], stores["customer_features"]
    assert truth.groupby("customer_id")["store_id"].nunique().max() == 3  # every store numbers from C-000001
    expected = set(truth["store_id"] + "|" + truth["customer_id"])
    assert len(features) == len(expected) == 2000 and set(features["customer_id"]) == expected
    assert (features["customer_id"].str.split("|").str[0] == features["store_id"]).all()
    assert stores["stg_customer_orders"]["store_id"].notna().all()


def test_the_pooled_fit_has_the_documented_row_counts(stores):
    segments, comparison, tests = stores["customer_segments"], stores["customer_store_comparison"], stores[
        "customer_store_tests"]
    axes = segments["axis"].nunique()
    primary = segments[segments["method"] == "fcm"]
    # one row per customer, axis and method (a population axis counts its population only)
    assert not segments.duplicated(["customer_id", "axis", "method"]).any()
    assert len(primary[primary["axis"] == "engagement"]) == 2000
    # comparison: every top-level segment of every axis in every store; tests: every axis and pair of stores
    assert len(comparison) == primary.groupby("axis")["segment_id"].nunique().sum() * 3
    assert len(tests) == axes * 3 and set(zip(tests["store_id"], tests["other_store_id"], strict=True)) == {
        ("store_a", "store_b"), ("store_a", "store_c"), ("store_b", "store_c")}
    shares = comparison.groupby(["axis", "store_id"])["share"].sum()
    assert (shares - 1).abs().max() < 1e-9


def test_the_planted_store_differs_and_the_stores_planted_alike_do_not(stores):
    tests = stores["customer_store_tests"].set_index(["axis", "store_id", "other_store_id"])
    alike = tests.xs(("store_a", "store_b"), level=("store_id", "other_store_id"))
    assert not alike["is_significant"].any(), alike[["p_value", "cramers_v"]]
    for store in ("store_a", "store_b"):
        planted = tests.xs((store, "store_c"), level=("store_id", "other_store_id")).loc[PERSONA_AXES]
        assert planted["is_significant"].all() and (planted["cramers_v"] > 0.25).all(), planted
    # the direction: store_c has about three times the share of frequent buyers
    comparison = stores["customer_store_comparison"]
    frequent = comparison[(comparison["axis"] == "engagement")
                          & comparison["segment_group"].isin(["active_hobbyist", "super_engaged", "enterprise"])]
    share = frequent.groupby("store_id")["share"].sum()
    assert share["store_c"] > 2.5 * max(share["store_a"], share["store_b"])


def test_without_a_store_column_the_store_marts_are_empty(query):
    assert query("select count(*) as n from customer_store_tests")["n"].iloc[0] == 0
    assert query("select count(*) as n from customer_store_comparison")["n"].iloc[0] == 0
    assert query("select count(*) as n from customer_features where store_id is not null")["n"].iloc[0] == 0


def test_per_store_fits_segment_each_store_on_its_own_with_the_documented_row_counts(stores):
    pooled, per_store = stores, stores["per_store"]
    fits = per_store["customer_fit_metrics"]
    configured = sorted(pooled["customer_fit_metrics"]["axis"].unique())
    # every configured axis once per store, <axis>@<store>, on that store's customers only
    assert sorted(fits["axis"].unique()) == sorted(f"{axis}@{store}" for axis in configured
                                                  for store in ("store_a", "store_b", "store_c"))
    features = per_store["customer_features"].set_index("customer_id")
    segments = per_store["customer_segments"]
    store_of_fit = segments["axis"].str.split("@").str[1]
    assert (store_of_fit == features.loc[segments["customer_id"], "store_id"].to_numpy()).all()
    # each customer has the rows it had in the pooled fit: one per configured axis (its store's) and method
    key = segments.assign(axis=segments["axis"].str.split("@").str[0])[["customer_id", "axis", "method"]]
    pooled_key = pooled["customer_segments"][["customer_id", "axis", "method"]]
    pd.testing.assert_frame_equal(key.sort_values(list(key.columns)).reset_index(drop=True),
                                  pooled_key.sort_values(list(key.columns)).reset_index(drop=True), check_dtype=False)
    # no two stores share a fit, so there is no pair to test; the comparison lists each store's own segments
    assert per_store["customer_store_tests"].empty
    comparison = per_store["customer_store_comparison"]
    assert (comparison["axis"].str.split("@").str[1] == comparison["store_id"]).all()
    # the profile's columns of an axis come from the customer's own store's fit
    profile = per_store["customer_profile"].set_index("customer_id")
    engagement = segments[(segments["method"] == "fcm") & segments["axis"].str.startswith("engagement@")]
    assert len(profile) == 2000 and profile["engagement_segment_id"].notna().all()
    assert (profile.loc[engagement["customer_id"], "engagement_segment_id"].to_numpy()
            == engagement["segment_id"].to_numpy()).all()
