"""Every snapshot type in one build, on a private copy of the warehouse: each type's dates are its period
ends, each is kept as long as its retention says, every snapshot has one id and one data version, and a
history taken before ids were stored is migrated in place."""

from __future__ import annotations

import re
import shutil

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration
SNAPSHOT_MODELS = ["int_customer_snapshot_dates", "int_customer_snapshot_features",
                   "int_customer_snapshot_memberships", "customer_membership_snapshots", "customer_snapshot_catalog"]
PERIODS = {"monthly": 14, "daily": 10, "weekly": 12, "quarterly": 10, "yearly": 5}
#: the period ends of each type, as pandas names them (weeks end on Sunday)
FREQUENCIES = {"daily": "D", "weekly": "W-SUN", "monthly": "ME", "quarterly": "QE", "yearly": "YE"}
RETENTION = {"daily": 7, "weekly": 60, "monthly": 365, "quarterly": 730, "yearly": 1825}


def _read(db, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(sql).df()


def _dates(frame: pd.DataFrame, snapshot_type: str) -> list[str]:
    of_type = frame[frame["snapshot_type"] == snapshot_type]
    return sorted(pd.to_datetime(of_type["snapshot_date"]).dt.strftime("%Y-%m-%d"))


@pytest.fixture(scope="module")
def all_types(db_path, raw_dir, tmp_path_factory):
    """The history built with the five types at once (monthly first), before and after the retention."""
    tmp = tmp_path_factory.mktemp("snapshot_types")
    db = tmp / "warehouse.duckdb"
    shutil.copy(db_path, db)
    result = run_dbt(["run", "-s", *SNAPSHOT_MODELS], db=db, project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp,
                     dbt_vars={"customer_snapshot_type": list(PERIODS), "customer_snapshot_periods": PERIODS})
    assert result.returncode == 0, result.stdout[-3000:]
    history = _read(db, "select * from customer_membership_snapshots")
    catalog = _read(db, "select * from customer_snapshot_catalog")
    window = _read(db, "select max(as_of_at) as as_of_at from customer_features").iloc[0]
    first_order = _read(db, "select min(ordered_at) as first_ordered_at from stg_customer_orders").iloc[0]
    retention = run_dbt(["run-operation", "apply_snapshot_retention"], db=db, project_dir=PROJECT_ROOT,
                        raw=raw_dir, tmp=tmp)
    assert retention.returncode == 0, retention.stdout[-3000:]
    deleted = {kind: int(n) for kind, n in re.findall(r"retention (\w+) \(\d+ days\): (\d+) snapshot rows deleted",
                                                      retention.stdout)}
    kept = _read(db, "select snapshot_type, snapshot_date, count(*) as n from customer_membership_snapshots "
                     "group by 1, 2")
    return {"history": history, "catalog": catalog, "as_of_at": pd.Timestamp(window["as_of_at"]),
            "first_ordered_at": pd.Timestamp(first_order["first_ordered_at"]), "deleted": deleted, "kept": kept}


def _expected_schedule(snapshot_type: str, as_of_at: pd.Timestamp, first_ordered_at: pd.Timestamp) -> list[str]:
    """The last PERIODS[type] period ends whose end of day is at or before the as-of moment and after the
    first order, computed with pandas' calendar offsets."""
    ends = pd.date_range(end=as_of_at.normalize(), periods=PERIODS[snapshot_type] + 2,
                         freq=FREQUENCIES[snapshot_type])
    complete = [end for end in ends if end + pd.Timedelta(days=1) <= as_of_at
                and end + pd.Timedelta(days=1) > first_ordered_at]
    return [end.strftime("%Y-%m-%d") for end in complete[-PERIODS[snapshot_type]:]]


@pytest.mark.parametrize("snapshot_type", list(PERIODS))
def test_each_type_builds_its_period_ends(all_types, snapshot_type):
    expected = _expected_schedule(snapshot_type, all_types["as_of_at"], all_types["first_ordered_at"])
    assert len(expected) >= 2  # the demo's history holds two years at least
    assert _dates(all_types["catalog"], snapshot_type) == expected
    # every snapshot scores every customer with an order before it, on every reference axis
    history = all_types["history"]
    of_type = history[history["snapshot_type"] == snapshot_type]
    assert of_type.groupby("snapshot_date")["axis"].nunique().eq(history["axis"].nunique()).all()


@pytest.mark.parametrize("snapshot_type", list(PERIODS))
def test_each_type_is_kept_as_long_as_its_retention(all_types, snapshot_type):
    before = pd.to_datetime(pd.Series(_dates(all_types["catalog"], snapshot_type)))
    within = before >= before.max() - pd.Timedelta(days=RETENTION[snapshot_type])
    assert _dates(all_types["kept"], snapshot_type) == list(before[within].dt.strftime("%Y-%m-%d"))
    catalog = all_types["catalog"]
    rows_out = catalog[(catalog["snapshot_type"] == snapshot_type)
                       & ~pd.to_datetime(catalog["snapshot_date"]).isin(before[within])]["snapshot_rows"].sum()
    assert all_types["deleted"][snapshot_type] == rows_out
    if snapshot_type in ("daily", "weekly", "monthly"):
        assert not within.all()  # the demo's schedule reaches past these retentions: something is removed


def test_every_snapshot_has_one_id_and_one_data_version(all_types, query):
    catalog, history = all_types["catalog"], all_types["history"]
    assert catalog["snapshot_id"].is_unique and len(catalog) == sum(
        len(_expected_schedule(kind, all_types["as_of_at"], all_types["first_ordered_at"])) for kind in PERIODS)
    named = history["snapshot_type"] + "-" + pd.to_datetime(history["snapshot_date"]).dt.strftime("%Y-%m-%d")
    assert (history["snapshot_id"] == named).all()
    assert history.groupby("snapshot_id")["data_version"].nunique().eq(1).all()
    counted = history.groupby("snapshot_id").agg(customers=("customer_id", "nunique"), rows=("axis", "size"))
    listed = catalog.set_index("snapshot_id").loc[counted.index]
    assert (listed["customers"] == counted["customers"]).all() and (listed["snapshot_rows"] == counted["rows"]).all()
    assert catalog["data_version"].str.fullmatch("[0-9a-f]{16}").all()
    # the monthly snapshots the shared build took: recomputed from the same orders and reference, same version
    shared = query("select snapshot_id, data_version from customer_snapshot_catalog")
    same = shared.merge(catalog, on="snapshot_id", suffixes=("_shared", "_rebuilt"))
    assert len(same) == len(shared) >= 10 and (same["data_version_shared"] == same["data_version_rebuilt"]).all()
    # later snapshots see more orders: the versions of a type's dates differ where orders came in between
    monthly = catalog[catalog["snapshot_type"] == "monthly"]
    assert monthly["data_version"].is_unique


def test_a_history_without_ids_is_migrated_in_place(warehouse_copy, raw_dir, tmp_path):
    with duckdb.connect(str(warehouse_copy)) as con:
        con.execute("alter table customer_membership_snapshots drop column snapshot_id")
        con.execute("alter table customer_membership_snapshots drop column data_version")
        before = con.sql("select * exclude (memberships, segment_ids) from customer_membership_snapshots").df()
    new_date = "2025-06-30"  # a date of no earlier run, computed by this run
    result = run_dbt(["run", "-s", *SNAPSHOT_MODELS], db=warehouse_copy, project_dir=PROJECT_ROOT,
                     raw=raw_dir, tmp=tmp_path, vars_extra=f", customer_snapshot_dates: ['{new_date}']")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "adding snapshot_id and data_version ('unrecorded')" in result.stdout
    after = _read(warehouse_copy, "select * exclude (memberships, segment_ids) from customer_membership_snapshots")
    is_new = pd.to_datetime(after["snapshot_date"]).dt.strftime("%Y-%m-%d") == new_date
    old, new = after[~is_new], after[is_new]
    keys = ["customer_id", "axis", "snapshot_type", "snapshot_date"]
    assert len(old) == len(before) and len(new) > 0
    pd.testing.assert_frame_equal(before.sort_values(keys).reset_index(drop=True),
                                  old[before.columns].sort_values(keys).reset_index(drop=True))
    assert (old["snapshot_id"] == old["snapshot_type"] + "-"
            + pd.to_datetime(old["snapshot_date"]).dt.strftime("%Y-%m-%d")).all()
    assert (old["data_version"] == "unrecorded").all()
    assert (new["snapshot_id"] == f"monthly-{new_date}").all() and new["data_version"].nunique() == 1
    assert new["data_version"].iloc[0] != "unrecorded"
    catalog = _read(warehouse_copy, "select * from customer_snapshot_catalog")
    assert catalog["snapshot_id"].is_unique and len(catalog) == old["snapshot_id"].nunique() + 1


def test_a_requested_date_is_taken_for_the_types_whose_period_it_ends(warehouse_copy, raw_dir, tmp_path):
    # 2025-06-30 is a Monday and a month end, 2025-06-29 a Sunday
    # (a date given twice is taken once)
    result = run_dbt(["run", "-s", *SNAPSHOT_MODELS], db=warehouse_copy, project_dir=PROJECT_ROOT, raw=raw_dir,
                     tmp=tmp_path, dbt_vars={"customer_snapshot_type": ["monthly", "weekly"],
                                             "customer_snapshot_dates": ["2025-06-30", "2025-06-29", "2025-06-30"]})
    assert result.returncode == 0, result.stdout[-3000:]
    dates = _read(warehouse_copy, "select snapshot_id, is_in_run from int_customer_snapshot_dates")
    assert sorted(dates.loc[dates["is_in_run"], "snapshot_id"]) == ["monthly-2025-06-30", "weekly-2025-06-29"]
    taken = set(_read(warehouse_copy, "select snapshot_id from customer_snapshot_catalog")["snapshot_id"])
    assert {"monthly-2025-06-30", "weekly-2025-06-29"} <= taken and "weekly-2025-06-30" not in taken


@pytest.mark.parametrize(("dbt_vars", "message"), [
    ({"customer_snapshot_type": ["monthly", "weekly"], "customer_snapshot_dates": ["2025-06-18"]},
     "2025-06-18 ends no period of the snapshot types monthly, weekly"),
    ({"customer_snapshot_type": ["monthly", "hourly"]}, "'hourly' is not a snapshot type; use one of daily"),
    ({"customer_snapshot_type": ["monthly", "monthly"]}, "lists 'monthly' twice"),
    ({"customer_snapshot_type": ["monthly", "weekly"], "customer_snapshot_periods": {"monthly": 12}},
     "no number of periods for the snapshot type 'weekly'"),
])
def test_a_wrong_snapshot_setting_names_the_var_and_the_fix(raw_dir, tmp_path, dbt_vars, message):
    result = run_dbt(["compile", "-s", "int_customer_snapshot_dates"], db=tmp_path / "empty.duckdb",
                     project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp_path, dbt_vars=dbt_vars)
    assert result.returncode != 0 and message in result.stdout
