"""Snapshots now of a list of customers (customer_on_demand_snapshots), on a private copy of the warehouse:
the same memberships as the population's snapshot of that date, their own type and table (the history,
drift and snapshot_health unchanged), replaced for the same list, added for another, named when unknown,
and removed by the retention."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration
FIRST = ["C-000017", "C-000042", "C-001500"]
SECOND = ["C-000042", "C-000007"]


def _read(db, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(sql).df()


def _snapshot(db, raw_dir, tmp, customers: list[str]):
    result = run_dbt(["build", "-s", "customer_on_demand_snapshots"], db=db, project_dir=PROJECT_ROOT, raw=raw_dir,
                     tmp=tmp, dbt_vars={"customer_snapshot_customers": customers})
    assert result.returncode == 0, result.stdout[-3000:]
    return result, _read(db, "select * from customer_on_demand_snapshots")


@pytest.fixture(scope="module")
def runs(db_path, raw_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("on_demand")
    db = tmp / "warehouse.duckdb"
    shutil.copy(db_path, db)
    with duckdb.connect(str(db)) as con:  # this test's snapshots only
        con.execute("delete from customer_on_demand_snapshots")
    history_before = _read(db, "select snapshot_id, count(*) as n from customer_membership_snapshots group by 1")
    first_log, first = _snapshot(db, raw_dir, tmp, [*FIRST, "nobody"])
    _, again = _snapshot(db, raw_dir, tmp, list(reversed(FIRST)) + ["nobody"])  # the same list, in another order
    _, both = _snapshot(db, raw_dir, tmp, SECOND)
    rebuilt = run_dbt(["run", "-s", "snapshot_health", "customer_drift_timeline", "customer_drift",
                       "customer_snapshot_catalog"], db=db, project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    return {"db": db, "tmp": tmp, "first_log": first_log.stdout, "first": first, "again": again, "both": both,
            "history_before": history_before}


def test_an_on_demand_snapshot_scores_the_listed_customers_as_the_population_snapshot_does(runs, query):
    first = runs["first"]
    axes = query("select distinct axis from customer_membership_snapshots")["axis"]
    assert sorted(first["customer_id"].unique()) == sorted(FIRST)
    assert len(first) == len(FIRST) * len(axes) and (first["snapshot_type"] == "on_demand").all()
    # now = the as-of moment of customer_features: the demo's latest monthly snapshot is of the same day
    as_of = pd.Timestamp(query("select max(as_of_at) as t from customer_features")["t"].iloc[0])
    assert (pd.to_datetime(first["snapshot_at"]) == as_of).all()
    day = (as_of - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    population = query(f"select * from customer_membership_snapshots where snapshot_id = 'monthly-{day}'")
    same = first.merge(population, on=["customer_id", "axis"], suffixes=("", "_population"))
    assert len(same) == len(first)
    for column in ["dominant_segment_id", "orders_at_snapshot", "value_at_snapshot", "max_membership"]:
        assert (same[column] == same[f"{column}_population"]).all(), column
    assert all(list(a) == list(b) for a, b in zip(same["memberships"], same["memberships_population"], strict=True))
    assert first["snapshot_id"].nunique() == 1 and first["snapshot_id"].iloc[0].startswith(f"on_demand-{day}-")
    assert first["data_version"].nunique() == 1 and first["data_version"].str.fullmatch("[0-9a-f]{16}").all()


def test_an_unknown_customer_is_named_by_a_warning(runs):
    # one id without a row (the test's rows are those ids): 'nobody'
    assert "WARN 1 customer_on_demand_snapshot_unknown_customers" in " ".join(runs["first_log"].split())
    assert "nobody" not in set(runs["first"]["customer_id"])


def test_the_same_list_replaces_its_snapshot_and_another_list_adds_one(runs):
    first, again, both = runs["first"], runs["again"], runs["both"]
    assert len(again) == len(first) and set(again["snapshot_id"]) == set(first["snapshot_id"])
    # the same customers' orders in the same reference: the same data version; another list, another one
    assert set(again["data_version"]) == set(first["data_version"])
    assert both.groupby("snapshot_id")["data_version"].first().nunique() == 2
    assert again["taken_at"].min() > first["taken_at"].max()
    assert both["snapshot_id"].nunique() == 2 and len(both) == len(again) + len(SECOND) * len(
        first["axis"].unique())


def test_the_history_drift_and_health_never_read_a_partial_snapshot(runs, query):
    db = runs["db"]
    after = _read(db, "select snapshot_id, count(*) as n from customer_membership_snapshots group by 1")
    pd.testing.assert_frame_equal(runs["history_before"].sort_values("snapshot_id").reset_index(drop=True),
                                  after.sort_values("snapshot_id").reset_index(drop=True))
    assert set(_read(db, "select snapshot_type from snapshot_health")["snapshot_type"]) == set(
        query("select snapshot_type from snapshot_health")["snapshot_type"])
    for mart in ["customer_drift", "customer_drift_timeline", "customer_snapshot_catalog"]:
        assert not (_read(db, f"select snapshot_type from {mart}")["snapshot_type"] == "on_demand").any(), mart
    assert len(_read(db, "select * from customer_drift")) == len(query("select * from customer_drift"))


def test_the_retention_removes_old_on_demand_snapshots(runs, raw_dir):
    db = runs["db"]
    old_id = runs["first"]["snapshot_id"].iloc[0]
    with duckdb.connect(str(db)) as con:  # the first list's snapshot taken 60 days earlier
        con.execute("update customer_on_demand_snapshots set snapshot_date = snapshot_date - interval 60 day "
                    f"where snapshot_id = '{old_id}'")
    kept_before = _read(db, f"select count(*) as n from customer_on_demand_snapshots where snapshot_id <> '{old_id}'")
    result = run_dbt(["run-operation", "apply_snapshot_retention"], db=db, project_dir=PROJECT_ROOT, raw=raw_dir,
                     tmp=runs["tmp"])
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"retention on_demand (30 days): {len(runs['again'])} snapshot rows deleted" in result.stdout
    left = _read(db, "select snapshot_id, count(*) as n from customer_on_demand_snapshots group by 1")
    assert old_id not in set(left["snapshot_id"]) and int(left["n"].sum()) == int(kept_before["n"].iloc[0])
