"""Snapshot history across runs, on private copies of the warehouse:
idempotent reruns, new dates added without touching older ones, retention."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration
SNAPSHOT_MODELS = ["int_customer_snapshot_dates", "int_customer_snapshot_features",
                   "int_customer_snapshot_memberships", "customer_membership_snapshots"]


def _snapshots(db) -> pd.DataFrame:
    """The history, one row per snapshot; the membership lists as tuples so frames compare exactly."""
    with duckdb.connect(str(db), read_only=True) as con:
        frame = con.sql("select * from customer_membership_snapshots").df()
    return frame.assign(memberships=frame["memberships"].map(lambda u: tuple(float(x) for x in u)))


def _key(frame: pd.DataFrame) -> pd.DataFrame:
    keys = ["customer_id", "axis", "snapshot_type", "snapshot_date"]
    assert not frame.duplicated(keys).any()
    return frame.sort_values(keys).reset_index(drop=True)


def test_rerunning_a_snapshot_date_replaces_it(warehouse_copy, raw_dir, tmp_path):
    before = _snapshots(warehouse_copy)
    date = pd.Timestamp(before["snapshot_date"].max()).strftime("%Y-%m-%d")
    result = run_dbt(["run", "-s", *SNAPSHOT_MODELS], db=warehouse_copy, project_dir=PROJECT_ROOT,
                     raw=raw_dir, tmp=tmp_path, vars_extra=f", customer_snapshot_dates: ['{date}']")
    assert result.returncode == 0, result.stdout[-3000:]
    after = _snapshots(warehouse_copy)
    assert len(after) == len(before)
    before, after = _key(before), _key(after)
    columns = [c for c in before.columns if c != "taken_at"]
    pd.testing.assert_frame_equal(before[columns], after[columns])
    untouched = pd.to_datetime(after["snapshot_date"]).dt.strftime("%Y-%m-%d") != date
    assert untouched.any() and (after.loc[untouched, "taken_at"] == before.loc[untouched, "taken_at"]).all()
    assert (after.loc[~untouched, "taken_at"] > before.loc[~untouched, "taken_at"]).all()


def test_a_new_date_adds_rows_and_leaves_older_ones_alone(warehouse_copy, raw_dir, tmp_path):
    before = _snapshots(warehouse_copy)
    new_date = "2025-06-30"
    assert new_date not in set(pd.to_datetime(before["snapshot_date"]).dt.strftime("%Y-%m-%d"))
    result = run_dbt(["run", "-s", *SNAPSHOT_MODELS], db=warehouse_copy, project_dir=PROJECT_ROOT,
                     raw=raw_dir, tmp=tmp_path, vars_extra=f", customer_snapshot_dates: ['{new_date}']")
    assert result.returncode == 0, result.stdout[-3000:]
    after = _snapshots(warehouse_copy)
    is_new = pd.to_datetime(after["snapshot_date"]).dt.strftime("%Y-%m-%d") == new_date
    added = after[is_new]
    assert len(added) > 0 and len(after) == len(before) + len(added)
    old = after[~is_new]
    pd.testing.assert_frame_equal(_key(before), _key(old))

    # the monthly retention (365 days before the newest date) removes exactly that old date
    retention = run_dbt(["run-operation", "apply_snapshot_retention"], db=warehouse_copy,
                        project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp_path)
    assert retention.returncode == 0, retention.stdout[-3000:]
    assert f"{len(added)} snapshot rows deleted" in retention.stdout
    pd.testing.assert_frame_equal(_key(before), _key(_snapshots(warehouse_copy)))


def test_full_refresh_does_not_drop_history_unless_allowed(warehouse_copy, raw_dir, tmp_path):
    with duckdb.connect(str(warehouse_copy)) as con:
        con.execute("insert into customer_membership_snapshots select * replace "
                    "(cast('2024-12-31' as date) as snapshot_date) from customer_membership_snapshots "
                    "where snapshot_date = (select max(snapshot_date) from customer_membership_snapshots)")
    before = _snapshots(warehouse_copy)
    result = run_dbt(["run", "-s", "customer_membership_snapshots", "--full-refresh"], db=warehouse_copy,
                     project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert len(_snapshots(warehouse_copy)) == len(before)


def test_a_long_layout_history_is_upgraded_in_place(warehouse_copy, raw_dir, tmp_path):
    """A history written one row per segment (the older layout, without usual_gap_days) becomes the list layout,
    every snapshot kept, usual_gap_days included."""
    before = _key(_snapshots(warehouse_copy))
    with duckdb.connect(str(warehouse_copy)) as con:
        con.execute("""
            create table old_layout as
            select customer_id, axis, cast(position - 1 as integer) as segment_id, dominant_segment_id,
                   reference_run_id, snapshot_type, membership, max_membership, orders_at_snapshot,
                   value_at_snapshot, days_since_first_order, tenure_months,
                   position - 1 = dominant_segment_id as is_dominant, snapshot_date, last_ordered_at,
                   snapshot_at, taken_at
            from customer_membership_snapshots,
                 unnest(memberships) with ordinality as u(membership, position)
        """)
        con.execute("drop table customer_membership_snapshots")
        con.execute("alter table old_layout rename to customer_membership_snapshots")
        assert con.execute("select count(*) from customer_membership_snapshots").fetchall()[0][0] > len(before)
    old_date = "2025-06-30"  # a date of no earlier run: the upgraded history keeps every other snapshot as it was
    result = run_dbt(["run", "-s", *SNAPSHOT_MODELS], db=warehouse_copy, project_dir=PROJECT_ROOT,
                     raw=raw_dir, tmp=tmp_path, vars_extra=f", customer_snapshot_dates: ['{old_date}']")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "upgrading the long history" in result.stdout
    # the older layout had no usual_gap_days: filled from each row's own columns, as the features compute it
    assert "adding usual_gap_days" in result.stdout
    # nor snapshot ids: named from type and date, their inputs 'unrecorded'
    assert "adding snapshot_id and data_version" in result.stdout
    after = _snapshots(warehouse_copy)
    kept = _key(after[pd.to_datetime(after["snapshot_date"]).dt.strftime("%Y-%m-%d") != old_date])
    assert (kept["data_version"] == "unrecorded").all()
    columns = [column for column in before.columns if column != "data_version"]
    pd.testing.assert_frame_equal(before[columns], kept[columns])
