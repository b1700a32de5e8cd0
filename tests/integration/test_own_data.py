"""A shop's own order history, as a user brings it: four columns with other names (no categories, no
returns), as a CSV file and as a table already in the warehouse; and the documented vars changed, which must
not break the dbt unit tests.

The file build is the customer domain on a fresh warehouse: every customer segmented or quarantined; the
category_mix and returns axes, whose features are constant without those columns, skipped with their reason
(warn-level test customer_axes_skipped) and without a row in any segment table."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd
import planted
import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration

MAPPING = {"ordered_at": "order_date", "amount": "revenue"}
# without product_category and returns these axes have constant features: skipped, never segmented
SKIPPED_AXES = {"category_mix", "returns", "category_breadth"}
FITTED_AXES = set(planted.CUSTOMER_AXES) - SKIPPED_AXES
#: the axes fitted on a sub-population (config.meta.axes.<axis>.population)
POPULATION_AXES = planted.POPULATION_AXES
METHODS = {"fcm", "gmm"}


@pytest.fixture(scope="module")
def shop_csv(raw_dir, tmp_path_factory) -> Path:
    """The demo orders as a shop exports them: order_id, customer_id, order_date, revenue (CSV)."""
    path = tmp_path_factory.mktemp("shop") / "shop_orders.csv"
    duckdb.sql(f"""
        copy (select order_id, customer_id, ordered_at as order_date, amount as revenue
              from '{raw_dir / "customer_orders.parquet"}') to '{path}' (header)
    """)
    return path


@pytest.fixture(scope="module")
def shop_builds(shop_csv, raw_dir, tmp_path_factory) -> dict[str, Path]:
    """The customer domain built from the CSV (file var), and its features from the same rows loaded as
    a warehouse table (table var), side by side, each into an empty warehouse."""
    def from_file() -> tuple[str, Path]:
        tmp = tmp_path_factory.mktemp("shop_file")
        db = tmp / "shop.duckdb"
        done = run_dbt(["build", "--select", "+customer_segment_profiles +customer_reference_model "
                        "+customer_features_quarantine +customer_k_selection", "--indirect-selection", "buildable"],
                       db=db, project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp,
                       dbt_vars={"customer_orders_path": str(shop_csv), "customer_orders_columns": MAPPING})
        assert done.returncode == 0, done.stdout[-5000:]
        assert "Binder Error" not in done.stdout
        (tmp / "build.log").write_text(done.stdout)
        return "file", db

    def from_table() -> tuple[str, Path]:
        tmp = tmp_path_factory.mktemp("shop_table")
        db = tmp / "shop.duckdb"
        con = duckdb.connect(str(db))
        con.execute(f"create table main.shop_orders as select * from read_csv('{shop_csv}')")
        con.close()
        done = run_dbt(["build", "--select", "+customer_features", "--indirect-selection", "buildable"],
                       db=db, project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp,
                       dbt_vars={"customer_orders_table": "main.shop_orders", "customer_orders_columns": MAPPING})
        assert done.returncode == 0, done.stdout[-5000:]
        return "table", db

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(lambda build: build(), [from_file, from_table]))


def _read(db: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).df()
    finally:
        con.close()


def test_every_customer_of_the_file_is_segmented_or_quarantined(shop_builds, shop_csv):
    db = shop_builds["file"]
    delivered = duckdb.sql(f"""
        select count(distinct nullif(trim(customer_id), '')) from read_csv('{shop_csv}')
    """).fetchall()[0][0]
    checked = _read(db, "select customer_id, quarantine_reason from int_customers_checked")
    assert len(checked) == delivered
    usable = set(checked.loc[checked["quarantine_reason"].isna(), "customer_id"])
    quarantined = _read(db, "select customer_id from customer_features_quarantine")
    assert set(quarantined["customer_id"]) == set(checked["customer_id"]) - usable
    segments = _read(db, "select axis, method, customer_id from customer_segments")
    assert set(segments["axis"]) == FITTED_AXES
    populations = {axis: set(_read(db, f"select customer_id from customer_features where {condition}")["customer_id"])
                   for axis, condition in POPULATION_AXES.items()}
    assert 0 < len(populations["repeat_engagement"]) < len(usable)
    for (axis, method), rows in segments.groupby(["axis", "method"]):
        expected = populations.get(axis, usable)
        assert set(rows["customer_id"]) == expected, f"{axis}/{method} does not cover every customer it should"


def test_the_build_warns_about_the_skipped_axes(shop_builds):
    log = (shop_builds["file"].parent / "build.log").read_text()
    assert f"WARN {len(SKIPPED_AXES)} customer_axes_skipped" in log
    assert "PASS assert_every_customer_segmented_or_quarantined" in log


def test_axes_without_their_columns_are_skipped_with_a_reason_and_no_segments(shop_builds):
    with duckdb.connect(str(shop_builds["file"]), read_only=True) as con:
        fits = con.sql("select axis, method, status, reason, k, n_samples from customer_fit_metrics").df()
        n = con.execute("select count(*) from customer_features").fetchall()[0][0]
        segments = con.sql("select axis, count(*) as n from customer_segments group by axis").df()
        in_population = {axis: con.execute(f"select count(*) from customer_features where {condition}").fetchall()[0][0]
                         for axis, condition in POPULATION_AXES.items()}
        tables = {table: set(con.sql(f"select distinct axis from {table}").df()["axis"]) for table in (
            "customer_k_selection", "customer_memberships", "customer_segment_profiles", "customer_reference_model")}
    skipped = fits[fits["status"] == "skipped"]
    assert set(map(tuple, skipped[["axis", "method"]].values)) == {(a, m) for a in SKIPPED_AXES for m in METHODS}
    assert skipped["k"].isna().all()
    assert (skipped["n_samples"] == skipped["axis"].map(lambda axis: in_population.get(axis, n))).all()
    reasons = dict(zip(skipped["axis"], skipped["reason"], strict=False))
    assert reasons["returns"] == (f"axis returns: every feature is constant (return_rate = 0 for all {n:,} "
                                  "customers); not segmented")
    # no category column: no category was discovered, every order counts in share_other
    assert reasons["category_mix"] == (f"axis category_mix: every feature is constant (share_other = 1 for all "
                                       f"{n:,} customers); not segmented")
    breadth = in_population["category_breadth"]
    assert reasons["category_breadth"] == (
        f"axis category_breadth: every feature is constant (top_category_share = 1, category_entropy = 0 for all "
        f"{breadth:,} customers); not segmented")
    fitted = fits[fits["status"] == "fitted"]
    assert set(fitted["axis"]) == FITTED_AXES and len(fitted) == len(FITTED_AXES) * len(METHODS)
    assert fitted["reason"].isna().all()
    assert dict(zip(segments["axis"], segments["n"], strict=True)) == {
        axis: len(METHODS) * in_population.get(axis, n) for axis in FITTED_AXES}
    for table, axes in tables.items():
        reference = table == "customer_reference_model"  # the snapshots follow the reference axes only
        assert axes == (FITTED_AXES & set(planted.REFERENCE_AXES) if reference else FITTED_AXES), table


def test_the_warehouse_table_gives_the_same_features_as_the_file(shop_builds):
    def features(db: Path) -> pd.DataFrame:
        frame = _read(db, "select * exclude (as_of_at) from customer_features order by customer_id")
        return frame.reset_index(drop=True)

    from_file, from_table = features(shop_builds["file"]), features(shop_builds["table"])
    assert len(from_file) > 1000
    pd.testing.assert_frame_equal(from_file, from_table)


def test_changing_the_documented_vars_does_not_break_the_dbt_unit_tests(warehouse_copy, raw_dir, tmp_path):
    changed = {
        "customer_orders_columns": {"amount": "revenue"}, "customer_orders_table": "main.elsewhere",
        "ai_models_columns": {"creator": "vendor"}, "sales_monthly_columns": {"demand": "units"},
        "customer_as_of_date": "2020-01-01", "customer_categories": ["zzz"], "customer_top_categories": 1,
        "dfu_time_window": 3, "dfu_min_months": 2, "dfu_as_of_month": "2020-01-01",
        "dfu_trend_stable_band": 0.5, "customer_drift_window_days": 5, "customer_transition_threshold": 0.95,
        "customer_snapshot_type": "weekly", "customer_snapshot_periods": 2,
    }
    done = run_dbt(["test", "--select", "test_type:unit"], db=warehouse_copy, project_dir=PROJECT_ROOT,
                   raw=raw_dir, tmp=tmp_path, dbt_vars=changed)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "PASS=" in done.stdout and " ERROR=0" in done.stdout and " FAIL" not in done.stdout
