"""A young shop: the demo orders cut to their last 30, 60, 90 and 270 days, each built with
`dbt build -s +path:models/marts/customers` and default vars into an empty warehouse (side by side).

Every build exits 0. The snapshot schedule starts at the first month with orders (fewer months than
customer_snapshot_periods: the warn-level test customer_snapshot_schedule_short); the reference date is the
first snapshot date with customer_reference_min_customers customers; every customer mart is built, with rows,
except on 30 days (one snapshot): drift, its window and the transitions are empty and the warn-level test
customer_drift_needs_two_snapshots says why. The full demo keeps its schedule (tests/integration/
test_drift_pipeline.py) and its reference date (below)."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration

DAYS = [30, 60, 90, 270]
TWO_SNAPSHOT_MARTS = {"customer_drift", "customer_drift_window", "customer_segment_transitions"}
# every one of these has rows on every cut (the two-snapshot marts from two snapshots on)
WITH_ROWS = {"customer_drift", "customer_drift_timeline", "customer_drift_window", "customer_fit_metrics",
             "customer_k_selection", "customer_lapse_risk", "customer_membership_snapshots",
             "customer_membership_snapshots_long", "customer_memberships", "customer_profile",
             "customer_profile_axes", "customer_reference_model", "customer_segment_names",
             "customer_segment_profiles", "customer_segment_transitions", "customer_segments",
             "customer_snapshots", "snapshot_health"}
MARTS = sorted(path.stem for path in (PROJECT_ROOT / "models/marts/customers").glob("*.sql")
               if not path.stem.startswith("int_"))


def _young_raw(raw_dir: Path, dest: Path, days: int) -> Path:
    """The demo raw folder with the orders of the last `days` days only."""
    dest.mkdir()
    for path in raw_dir.glob("*.parquet"):
        if path.name != "customer_orders.parquet":
            (dest / path.name).symlink_to(path.resolve())
    orders = raw_dir / "customer_orders.parquet"
    with duckdb.connect() as con:
        con.execute(f"""
            copy (select * from '{orders}'
                  where ordered_at > (select max(ordered_at) from '{orders}') - interval {days} day)
            to '{dest / "customer_orders.parquet"}' (format parquet)
        """)
    return dest


@pytest.fixture(scope="module")
def young_builds(raw_dir, tmp_path_factory) -> dict[int, dict]:
    """``{days: {"db", "tmp", "raw", "statuses"}}``: one fresh build per cut; statuses by node name."""
    tmps = {days: tmp_path_factory.mktemp(f"young_{days}") for days in DAYS}
    raws = {days: _young_raw(raw_dir, tmps[days] / "raw", days) for days in DAYS}

    def build(days: int) -> tuple[int, dict]:
        tmp, raw = tmps[days], raws[days]
        db = tmp / "young.duckdb"
        done = run_dbt(["build", "-s", "+path:models/marts/customers"], db=db, project_dir=PROJECT_ROOT,
                       raw=raw, tmp=tmp)
        assert done.returncode == 0, f"{days} days:\n{done.stdout[-5000:]}"
        results = json.loads((tmp / "dbt_target" / "run_results.json").read_text())["results"]
        statuses = {result["unique_id"].split(".")[2]: result["status"] for result in results}
        return days, {"db": db, "tmp": tmp, "raw": raw, "statuses": statuses}

    with ThreadPoolExecutor(max_workers=len(DAYS)) as pool:
        return dict(pool.map(build, DAYS))


def _one(db: Path | str, sql: str):
    with duckdb.connect(str(db), read_only=db != ":memory:") as con:
        return con.execute(sql).fetchall()


@pytest.mark.parametrize("days", DAYS)
def test_the_schedule_starts_at_the_first_month_with_orders(days, young_builds):
    build = young_builds[days]
    orders = build["raw"] / "customer_orders.parquet"
    [(first_month_end, months)] = _one(":memory:", f"""
        select last_day(min(ordered_at)), datediff('month', min(ordered_at), max(ordered_at)) + 1
        from '{orders}'
    """)
    [(first, count, reference)] = _one(build["db"], """
        select min(dates.snapshot_date), count(*), max(reference.reference_date)
        from int_customer_snapshot_dates as dates
        cross join (select max(reference_date) as reference_date from int_customer_reference_features) as reference
        where dates.is_default
    """)
    assert first == first_month_end and count == months < 12
    assert build["statuses"]["customer_snapshot_schedule_short"] == "warn"
    # every cut has at least customer_reference_min_customers (50) customers at its first month's end
    assert reference == first
    assert build["statuses"]["customer_reference_below_min_customers"] == "pass"


@pytest.mark.parametrize("days", DAYS)
def test_every_customer_mart_builds(days, young_builds):
    build = young_builds[days]
    counts = {mart: _one(build["db"], f"select count(*) from {mart}")[0][0] for mart in MARTS}
    assert all(build["statuses"][mart] == "success" for mart in MARTS)
    one_snapshot = days < 31
    assert {mart for mart in TWO_SNAPSHOT_MARTS if counts[mart] == 0} == (TWO_SNAPSHOT_MARTS if one_snapshot
                                                                          else set()), counts
    # a mart added later may be empty on a young history (e.g. one that waits for a horizon to close)
    assert all(counts[mart] > 0 for mart in WITH_ROWS - TWO_SNAPSHOT_MARTS), counts
    assert build["statuses"]["customer_drift_needs_two_snapshots"] == ("warn" if one_snapshot else "pass")
    assert {status for status in build["statuses"].values()} <= {"success", "pass", "warn"}


def test_a_reference_date_without_enough_customers_is_the_latest_date(young_builds, tmp_path):
    """No snapshot date reaches customer_reference_min_customers: the latest date is the reference, and a
    warning says so."""
    build = young_builds[90]
    db = tmp_path / "young.duckdb"
    shutil.copy(build["db"], db)
    done = run_dbt(["build", "-s", "int_customer_reference_features"], db=db, project_dir=PROJECT_ROOT,
                   raw=build["raw"], tmp=tmp_path, dbt_vars={"customer_reference_min_customers": 100000})
    assert done.returncode == 0, done.stdout[-3000:]
    assert "WARN 1 customer_reference_below_min_customers" in done.stdout
    [(reference, latest)] = _one(db, """
        select (select max(reference_date) from int_customer_reference_features),
               (select max(snapshot_date) from int_customer_snapshot_dates where is_default)
    """)
    assert reference == latest


def test_the_full_demo_keeps_its_reference_date(query):
    """24 months of orders: the reference is still the earliest of the 12 default snapshot dates."""
    reference = query("select distinct reference_date from int_customer_reference_features")["reference_date"]
    first = query("select min(snapshot_date) as first from int_customer_snapshot_dates where is_default")["first"]
    assert len(reference) == 1 and reference.iloc[0] == first.iloc[0]


@pytest.mark.parametrize("days", DAYS)
def test_the_seasonal_axis_waits_for_a_year_of_history(days, young_builds):
    with duckdb.connect(str(young_builds[days]["db"]), read_only=True) as con:
        rows = con.sql("select method, status, reason, n_samples from customer_fit_metrics "
                       "where axis = 'seasonality'").df()
        n = con.execute("select count(*) from customer_features").fetchall()[0][0]
    assert sorted(rows["method"]) == ["fcm", "gmm"] and (rows["status"] == "skipped").all()
    assert (rows["n_samples"] == 0).all()
    assert set(rows["reason"]) == {
        f"axis seasonality: population 'frequency >= 4 and tenure_days >= 365' holds 0 of {n:,} customers, "
        "fewer than k_min + 1 = 3; not segmented"}
