"""The customer domain end to end, on the warehouse built by `make dbt-test`.

Personas planted by the demo (demo_truth_customers, read by no model) must be
recovered on the main value/frequency axis; the long-tail claim (plain
silhouette leaves a mega-segment, balance-aware k + subdivision do not) is
checked on the same data with both numbers printed.
"""

from __future__ import annotations

import json
import os

import jsonschema
import numpy as np
import pandas as pd
import planted
import pytest
import yaml
from conftest import PROJECT_ROOT

pytestmark = pytest.mark.integration
MAIN_AXIS = planted.CUSTOMER_MAIN_AXIS


@pytest.fixture(scope="module")
def raw_orders(raw_dir) -> pd.DataFrame:
    return pd.read_parquet(raw_dir / "customer_orders.parquet")


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_planted_personas_are_recovered_on_the_main_axis(query, raw_dir, method):
    ari = planted.persona_ari(query, raw_dir, method)
    print(f"ARI({method} segment paths on {MAIN_AXIS}, personas) = {ari:.3f}")
    assert ari >= planted.MIN_PERSONA_ARI


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_the_repeat_customer_axis_recovers_the_repeat_personas(query, raw_dir, method):
    ari, majority = planted.repeat_persona_recovery(query, raw_dir, method)
    print(f"ARI({method} segment paths on {planted.REPEAT_AXIS}, repeat personas) = {ari:.3f}; {majority}")
    assert ari >= planted.MIN_PERSONA_ARI
    assert majority == planted.REPEAT_PERSONA_NAMES


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_the_category_breadth_axis_finds_the_planted_specialists(query, raw_dir, method):
    ari, named = planted.specialist_recovery(query, planted.truth(raw_dir, "customers"), method)
    print(f"ARI({method} {planted.BREADTH_AXIS} segments, planted specialists) = {ari:.3f}; named {named:.1%}")
    assert ari >= planted.MIN_SPECIALIST_ARI and named >= planted.MIN_SPECIALISTS_NAMED


def test_segment_names_recover_the_planted_personas(query, raw_dir):
    ari, majority, n_names = planted.name_recovery(query, planted.truth(raw_dir, "customers"))
    print(f"ARI(engagement names, personas) = {ari:.3f}; {n_names} names; majority names {majority}")
    assert ari >= planted.MIN_NAME_ARI and n_names >= 4
    assert majority == planted.DEMO_PERSONA_NAMES


def test_silhouette_leaves_a_mega_segment_that_balance_and_subdivision_break(query):
    shares = planted.long_tail_shares(query, MAIN_AXIS, "fcm")
    print(f"plain silhouette: k={shares['silhouette_k']}, largest segment {shares['silhouette_largest']:.1%}; "
          f"balance-aware + subdivision: largest segment {shares['leaf_largest']:.1%} over {shares['leaves']} segments")
    assert shares["silhouette_largest"] > planted.MEGA_SEGMENT_SHARE
    assert shares["leaf_largest"] <= planted.MEGA_SEGMENT_SHARE
    assert shares["reported_after_subdivision"] == pytest.approx(shares["leaf_largest"])


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_memberships_sum_to_one(query, method):
    sums = query(
        f"select customer_id, axis, sum(membership) as total from customer_memberships "
        f"where method = '{method}' group by 1, 2")
    assert (sums["total"] - 1).abs().max() < 1e-9


def test_every_customer_is_segmented_or_quarantined(query, raw_orders):
    named = set(raw_orders["customer_id"].dropna())
    segmented = query("select customer_id, axis, method from customer_segments")
    quarantined = set(query("select customer_id from customer_features_quarantine")["customer_id"])
    per_fit = segmented.groupby(["axis", "method"])["customer_id"].apply(set)
    assert set(per_fit.index) == {(a, m) for a in planted.CUSTOMER_AXES for m in planted.DEFAULT_METHODS}
    # a population axis holds the customers its condition chooses (repeat customers: read from the orders)
    populations = {axis: set(query(f"select customer_id from customer_features where {condition}")["customer_id"])
                   for axis, condition in planted.POPULATION_AXES.items()}
    clean = raw_orders.dropna(subset=["customer_id", "ordered_at"])
    clean = clean[clean["amount"] >= 0].drop_duplicates()
    assert populations["repeat_engagement"] == set(
        clean.groupby("customer_id")["order_id"].nunique().loc[lambda n: n >= 2].index) - quarantined
    for (axis, method), customers in per_fit.items():
        if axis in planted.POPULATION_AXES:
            assert customers == populations[axis] and 0 < len(customers) < len(named), (axis, method)
        else:
            assert customers | quarantined == named, (axis, method)
        assert not customers & quarantined, (axis, method)


#: the behaviour axes' features, and how far the plain pandas computation may be from the SQL: exact but for
#: the last bits, except the gap features, whose SQL gaps are whole hours (the pandas ones are to the second)
BEHAVIOUR_TOLERANCE = {"order_momentum": 1e-9, "spend_momentum": 1e-9, "orders_prior_90_days": 0,
                       "total_items": 0, "log_price_per_item": 1e-9, "amount_cv": 1e-9,
                       "largest_order_ratio": 1e-9, "n_categories": 0, "top_category_share": 1e-9,
                       "category_entropy": 1e-9, "holiday_share": 1e-9, "month_concentration": 1e-9,
                       "gap_cv": 0.005, "max_gap_ratio": 0.06}


def test_behaviour_features_match_a_plain_pandas_computation(query, raw_orders):
    from benchmarks import customers_baseline

    expected = customers_baseline.features(customers_baseline.clean(raw_orders))
    got = query("select * from customer_features").set_index("customer_id")
    assert sorted(got.index) == sorted(expected.index)
    for column, tolerance in BEHAVIOUR_TOLERANCE.items():
        sql, plain = got[column].astype(float), expected.loc[got.index, column].astype(float)
        assert (sql.isna() == plain.isna()).all(), column
        assert np.allclose(sql.fillna(0), plain.fillna(0), rtol=0, atol=tolerance), column


def test_order_quarantine_matches_an_independent_reading(query, raw_orders):
    missing_customer = raw_orders["customer_id"].isna()
    missing_time = ~missing_customer & raw_orders["ordered_at"].isna()
    negative = ~missing_customer & ~missing_time & (raw_orders["amount"] < 0)
    clean = raw_orders[~missing_customer & ~missing_time & ~negative]
    expected = {"missing_customer_id": int(missing_customer.sum()), "invalid_ordered_at": int(missing_time.sum()),
                "negative_amount": int(negative.sum()), "duplicate_row": int(clean.duplicated().sum())}
    got = query("select quarantine_reason, count(*) as n from stg_customer_orders_quarantine group by 1"
                ).set_index("quarantine_reason")["n"].to_dict()
    assert {k: v for k, v in expected.items() if v} == got
    usable = query("select count(*) as n from stg_customer_orders")["n"].item()
    assert usable + sum(got.values()) == len(raw_orders)


def test_profiles_cover_every_member(query):
    sizes = query(
        "select axis, method, feature, sum(size) as members from customer_segment_profiles "
        "where is_top_level group by 1, 2, 3")
    n = query("select count(*) as n from customer_features")["n"].item()
    in_population = {axis: query(f"select count(*) as n from customer_features where {condition}")["n"].item()
                     for axis, condition in planted.POPULATION_AXES.items()}
    assert 0 < in_population["repeat_engagement"] < n
    assert (sizes["members"] == sizes["axis"].map(lambda axis: in_population.get(axis, n))).all()
    leaf_sizes = query(
        "select axis, method, segment_path, count(*) as n from customer_segments where depth > 0 group by 1, 2, 3")
    profiled = query(
        "select axis, method, segment_path, max(size) as n from customer_segment_profiles "
        "where not is_top_level group by 1, 2, 3")
    merged = leaf_sizes.merge(profiled, on=["axis", "method", "segment_path"], suffixes=("", "_profile"))
    assert len(merged) == len(leaf_sizes) and (merged["n"] == merged["n_profile"]).all()


def test_export_writes_valid_files_of_the_default_methods_from_the_real_marts(db_path, tmp_path, query):
    from cluster_marts.reporting.export import run_export

    assert run_export(db_path, tmp_path, MAIN_AXIS, 5) == 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 4  # fcm and gmm (neural is opt-in), JSON and YAML
    schema = json.loads((PROJECT_ROOT / "schemas" / "cluster_profile.schema.json").read_text())
    k = query(f"select method, k from customer_fit_metrics where axis = '{MAIN_AXIS}'").set_index("method")["k"]
    for method in ("fcm", "gmm"):
        [json_file] = [p for p in tmp_path.glob(f"{method}_cluster_profile_*.json")]
        profile = json.loads(json_file.read_text())
        jsonschema.validate(profile, schema)
        assert yaml.safe_load(json_file.with_suffix(".yaml").read_text()) == profile
        assert profile["metadata"]["n_clusters"] == k[method] == len(profile["clusters"])
    assert os.path.exists(PROJECT_ROOT / "prompts" / "cluster_profile_analysis.md")


def test_segments_carry_row_scores(query):
    """normalized_distance is the distance over the segment's RMS radius, so its mean square per top-level
    segment is 1 (recomputed here from distance_to_centroid); margin is there whenever k >= 2."""
    rows = query(
        "select s.axis, s.method, s.segment_id, s.distance_to_centroid, s.normalized_distance, s.margin, m.k "
        "from customer_segments as s inner join customer_fit_metrics as m using (axis, method)")
    assert len(rows) == len(query("select * from customer_segments"))
    assert rows["normalized_distance"].notna().all() and (rows["normalized_distance"] >= 0).all()
    assert rows.loc[rows["k"] >= 2, "margin"].notna().all() and rows.loc[rows["k"] < 2, "margin"].isna().all()
    segment = rows.groupby(["axis", "method", "segment_id"])["distance_to_centroid"]
    radius = segment.transform(lambda d: (d ** 2).mean() ** 0.5)
    expected = (rows["distance_to_centroid"] / radius).where(rows["distance_to_centroid"] > 0, 0.0)
    assert (rows["normalized_distance"] - expected).abs().max() < 1e-9


def test_one_customer_on_demand_reads_the_marts(db_path, query, capsys):
    from cluster_marts.cli import main as cluster_marts

    customer = query("select customer_id from customer_profile where orders >= 10 order by customer_id limit 1"
                     )["customer_id"].item()
    assert cluster_marts(["customer", customer, "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    segments = query(f"select axis, segment_name from customer_segments "
                     f"where customer_id = '{customer}' and method = 'fcm'")
    block = out.split("segments now")[1].split("history")[0]
    printed = {line.split()[0]: line.split()[1] for line in block.splitlines()[2:] if line.strip()}
    assert printed == dict(zip(segments["axis"], segments["segment_name"], strict=True))
    dates = query(f"select distinct snapshot_date from customer_drift_timeline "
                  f"where customer_id = '{customer}' and snapshot_type = 'monthly'")["snapshot_date"]
    history = out.split("the dominant segment of every axis\n")[1].split("drift by axis")[0]
    assert sorted(line.split()[0] for line in history.splitlines() if line[:2] == "20") == sorted(
        f"{day:%Y-%m-%d}" for day in dates)
