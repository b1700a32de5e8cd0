"""Snapshots and drift on the warehouse built by `make dbt-test`.

The demo plants lapsing customers (demo_truth_drift, read by no model): super
engaged and enterprise buyers who stop ordering in the last months. Detection
is judged on the `activity` axis among the personas the plant is drawn from
(super_engaged, enterprise): a customer is flagged when any consecutive drift
from the earliest planted lapse on is MODERATE or worse.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import planted
import pytest
import yaml

pytestmark = pytest.mark.integration
AXIS = planted.DRIFT_AXIS
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_planted_drifters_are_flagged_with_precision_and_recall(query, raw_dir):
    found = planted.drift_precision_recall(query, raw_dir, AXIS)
    print(f"drift on {AXIS}: precision {found['precision']:.3f}, recall {found['recall']:.3f} "
          f"({found['true_positive']} of {found['drifters']} drifters, pool {found['pool']})")
    assert found["precision"] >= planted.MIN_DRIFT_PRECISION and found["recall"] >= planted.MIN_DRIFT_RECALL


def test_stable_customers_are_mostly_stable(query, raw_dir):
    share = planted.stable_share(query, raw_dir, AXIS)
    print(f"share of STABLE month-over-month changes among non-drifters on {AXIS}: {share:.3f}")
    assert share >= planted.MIN_STABLE_SHARE


@pytest.mark.parametrize("axis", ["activity", "loyalty"])
def test_expected_ageing_is_not_read_as_drift(query, raw_dir, axis):
    noise = planted.ageing_noise(query, raw_dir, axis)
    print(f"{axis}: MODERATE+ steps of customers keeping their cadence {noise['adjusted_share']:.3f} "
          f"(raw drift {noise['raw_share']:.3f}); planted lapsers flagged {noise['lapsers_adjusted']} "
          f"(raw {noise['lapsers_raw']}) of {noise['lapsers']}")
    assert noise["raw_share"] > 0.05  # not vacuous: the raw drift does read ageing as movement
    assert noise["adjusted_share"] <= 0.5 * noise["raw_share"]
    assert noise["lapsers_adjusted"] >= 0.95 * noise["lapsers_raw"]


def _usable_orders(raw_dir) -> pd.DataFrame:
    """Orders a snapshot may count, read from the raw file without the warehouse: a customer, a time,
    no negative amount, duplicate rows once."""
    raw = pd.read_parquet(raw_dir / "customer_orders.parquet")
    return raw[raw["customer_id"].notna() & raw["ordered_at"].notna() & ~(raw["amount"] < 0)].drop_duplicates()


def test_no_snapshot_counts_an_order_from_its_future(query, raw_dir):
    orders = _usable_orders(raw_dir)
    snapshots = query(
        "select distinct customer_id, snapshot_date, snapshot_at, orders_at_snapshot, last_ordered_at "
        f"from customer_membership_snapshots where axis = '{AXIS}'")
    assert len(snapshots) > 0
    assert (snapshots["last_ordered_at"] < snapshots["snapshot_at"]).all()
    expected = []
    for snapshot_at, group in snapshots.groupby("snapshot_at"):
        counts = orders[orders["ordered_at"] < snapshot_at].groupby("customer_id").size()
        expected.append(group["customer_id"].map(counts))
    assert (pd.concat(expected).reindex(snapshots.index) == snapshots["orders_at_snapshot"]).all()
    # not vacuous: many snapshots precede some of their customer's orders, which they must not count
    total = snapshots["customer_id"].map(orders.groupby("customer_id").size())
    later = (snapshots["orders_at_snapshot"] < total).mean()
    print(f"share of {AXIS} snapshots taken before some of the customer's orders: {later:.3f}")
    assert later > 0.1


def test_health_summary_matches_the_history(query):
    config = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"]
    snapshot_type = config["customer_snapshot_type"]
    health = query("select * from snapshot_health")
    counts = query(
        "select snapshot_type, count(*) as n, count(distinct customer_id) as n_customers, "
        "count(distinct snapshot_date) as n_dates, min(snapshot_date) as oldest, max(snapshot_date) as newest "
        "from customer_snapshots group by 1")
    merged = health.merge(counts, on="snapshot_type", validate="one_to_one")
    assert len(merged) == len(health) == len(counts) == 1 and merged["snapshot_type"].item() == snapshot_type
    row = merged.iloc[0]
    assert row["total_snapshots"] == row["n"] > 0 and row["customers"] == row["n_customers"] > 0
    assert row["snapshot_dates"] == row["n_dates"] == config["customer_snapshot_periods"]
    assert row["oldest_snapshot"] == row["oldest"] and row["newest_snapshot"] == row["newest"]
    assert row["retention_days"] == config["customer_snapshot_retention_days"][snapshot_type]
    assert row["snapshots_enabled"] == config["customer_snapshots_enabled"] is True


def test_sql_scoring_matches_the_engine_formula(query):
    from cluster_marts.profiling.reference import score_memberships

    reference = query(f"select * from customer_reference_model where axis = '{AXIS}' order by segment_id, feature")
    features = sorted(reference["feature"].unique())
    latest = query("select max(snapshot_date) as d from customer_membership_snapshots")["d"].item()
    snap = query(
        f"select customer_id, {', '.join(features)} from int_customer_snapshot_features "
        f"where snapshot_date = date '{latest}' order by customer_id limit 200")
    wide = reference.pivot(index="segment_id", columns="feature", values="center_scaled")[features]
    scaler = reference.drop_duplicates("feature").set_index("feature").loc[features]
    expected = score_memberships(snap[features].to_numpy(), wide.to_numpy(), scaler["scaler_center"].to_numpy(),
                                 scaler["scaler_scale"].to_numpy(), float(reference["fuzziness"].iloc[0]))
    stored = query(
        f"select customer_id, memberships, dominant_segment_id, max_membership from customer_membership_snapshots "
        f"where axis = '{AXIS}' and snapshot_date = date '{latest}'").set_index("customer_id").loc[snap["customer_id"]]
    got = np.vstack([np.asarray(u, dtype=np.float64) for u in stored["memberships"]])
    assert got.shape == expected.shape == (len(snap), len(wide))   # one list entry per reference segment
    assert abs(got - expected).max() < 1e-9
    # the stored dominant segment is the first largest membership of the independent scoring
    assert (stored["dominant_segment_id"].to_numpy() == expected.argmax(axis=1)).all()
    assert abs(stored["max_membership"].to_numpy() - expected.max(axis=1)).max() < 1e-9


def test_long_view_unrolls_the_stored_lists(query):
    stored = query(f"select customer_id, snapshot_date, memberships, dominant_segment_id "
                   f"from customer_membership_snapshots where axis = '{AXIS}'")
    long = query(f"select customer_id, snapshot_date, segment_id, membership, is_dominant "
                 f"from customer_membership_snapshots_long where axis = '{AXIS}'")
    expected = stored.assign(segment_id=stored["memberships"].map(lambda u: list(range(len(u))))).explode(
        ["memberships", "segment_id"])
    assert len(long) == len(expected) == sum(len(u) for u in stored["memberships"]) > len(stored)
    merged = long.merge(expected, on=["customer_id", "snapshot_date", "segment_id"], validate="one_to_one")
    assert len(merged) == len(long)
    assert (merged["membership"] == merged["memberships"].astype(float)).all()
    assert (merged["is_dominant"] == (merged["segment_id"] == merged["dominant_segment_id"])).all()
    assert (merged.groupby(["customer_id", "snapshot_date"])["is_dominant"].sum() == 1).all()
