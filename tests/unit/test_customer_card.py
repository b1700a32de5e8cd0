"""``cluster-marts customer <id>``: one customer's segments, thumbprint history and drift, from the marts."""

from __future__ import annotations

import duckdb
import pytest

from cluster_marts.cli import main as cluster_marts


@pytest.fixture()
def marts(tmp_path):
    """A warehouse with the three marts the card reads: C1 has two axes, three monthly snapshots."""
    db = tmp_path / "marts.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("""
            create table customer_profile as select * from (values
                ('C1', 5, 120.5, timestamp '2025-01-02 10:00', timestamp '2026-03-04 11:00', date '2026-03-31',
                 0.25, false, 'within their rhythm', 3.5, 80.25, 0.9),
                ('C2', 1, 10.0, timestamp '2026-01-01 10:00', timestamp '2026-01-01 10:00', null,
                 null, null, null, null, null, null)
            ) as t(customer_id, orders, revenue, first_ordered_at, last_ordered_at, lapse_snapshot_date,
                   lapse_score, is_lapsing, reason, expected_orders, expected_spend, p_alive)
        """)
        con.execute("""
            create table customer_segments as select * from (values
                ('C1', 'engagement', 'fcm', 'active_hobbyist', 'active_hobbyist', 0.8, false),
                ('C1', 'engagement', 'gmm', 'occasional', 'occasional', 0.7, false),
                ('C1', 'value', 'fcm', 'high_value_1', 'high_value', 0.55, true),
                ('C2', 'engagement', 'fcm', 'one_time', 'one_time', 0.99, false)
            ) as t(customer_id, axis, method, segment_name, segment_group, max_membership, is_transitioning)
        """)
        con.execute("""
            create table customer_drift_timeline as select * from (values
                ('C1', 'engagement', 'monthly', date '2026-01-31', 'occasional', null, 'FIRST_SNAPSHOT', null, false),
                ('C1', 'engagement', 'monthly', date '2026-02-28', 'active_hobbyist', 0.5, 'MODERATE', 2, true),
                ('C1', 'engagement', 'monthly', date '2026-03-31', 'active_hobbyist', 0.25, 'MINOR', 1, false),
                ('C1', 'value', 'monthly', date '2026-01-31', 'low_value', null, 'FIRST_SNAPSHOT', null, false),
                ('C1', 'value', 'monthly', date '2026-02-28', 'low_value', 0.125, 'STABLE', 0, false),
                ('C1', 'value', 'monthly', date '2026-03-31', 'high_value', 0.75, 'MAJOR', 3, true),
                ('C1', 'value', 'weekly', date '2026-03-29', 'high_value', 0.75, 'MAJOR', 3, true)
            ) as t(customer_id, axis, snapshot_type, snapshot_date, dominant_segment_name, drift_score, severity,
                   severity_rank, segment_changed)
        """)
    return db


def test_the_card_shows_segments_history_and_drift(marts, capsys):
    assert cluster_marts(["customer", "C1", "--db", str(marts)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("customer C1: 5 orders, revenue 120.50, first 2025-01-02, last 2026-03-04\n"
                          "lapse risk 0.25 on 2026-03-31: within their rhythm\n"
                          "expected next year: 3.5 orders, 80.25 spend, P(alive) 0.90\n")
    segments = out.split("segments now (fcm")[1].split("history")[0]
    assert "active_hobbyist" in segments and "occasional" not in segments  # the fcm rows only
    assert "high_value_1" in segments and "True" in segments
    history = out.split("the dominant segment of every axis\n")[1].split("drift by axis")[0].splitlines()
    assert [line.split() for line in history if line.startswith("2026")] == [
        ["2026-01-31", "occasional", "low_value"], ["2026-02-28", "active_hobbyist", "low_value"],
        ["2026-03-31", "active_hobbyist", "high_value"]]
    drift = {line.split()[0]: line.split()[1:] for line in out.split("worst severity):\n")[1].splitlines()[1:]}
    assert drift == {"engagement": ["3", "1", "0.750", "MODERATE"], "value": ["3", "1", "0.875", "MAJOR"]}


def test_a_date_range_and_another_type_choose_the_snapshots(marts, capsys):
    assert cluster_marts(["customer", "C1", "--db", str(marts), "--from", "2026-02-01", "--to", "2026-02-28"]) == 0
    history = capsys.readouterr().out.split("history")[1]
    assert "2026-02-28" in history and "2026-01-31" not in history and "2026-03-31" not in history
    assert cluster_marts(["customer", "C1", "--db", str(marts), "--type", "weekly"]) == 0
    assert "2026-03-29" in capsys.readouterr().out
    assert cluster_marts(["customer", "C2", "--db", str(marts)]) == 0
    out = capsys.readouterr().out
    assert "lapse risk" not in out and "no snapshot of this customer in that range" in out


def test_without_a_type_the_history_is_the_builds_primary_type(marts, capsys):
    # no catalog (an older warehouse): monthly, as built
    assert cluster_marts(["customer", "C1", "--db", str(marts)]) == 0
    assert "history (monthly snapshots" in capsys.readouterr().out
    # the catalog marks weekly as the primary type
    with duckdb.connect(str(marts)) as con:
        con.execute("""create table customer_snapshot_catalog as select * from (values
            ('monthly-2026-03-31', 'monthly', false), ('weekly-2026-03-29', 'weekly', true)
        ) as t(snapshot_id, snapshot_type, is_primary_type)""")
    assert cluster_marts(["customer", "C1", "--db", str(marts)]) == 0
    out = capsys.readouterr().out
    assert "history (weekly snapshots" in out and "2026-03-29" in out and "2026-01-31" not in out
    # a catalog built before the mark, and no monthly snapshots: the type of the latest snapshot
    with duckdb.connect(str(marts)) as con:
        con.execute("alter table customer_snapshot_catalog drop column is_primary_type")
        con.execute("delete from customer_drift_timeline where snapshot_type = 'monthly'")
        con.execute("""insert into customer_drift_timeline values
            ('C1', 'value', 'quarterly', date '2025-12-31', 'low_value', null, 'FIRST_SNAPSHOT', null, false)""")
    assert cluster_marts(["customer", "C1", "--db", str(marts)]) == 0
    assert "history (weekly snapshots" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["customer", "C9"], "customer 'C9' is not in customer_profile (customers with a valid order); e.g. C1, C2"),
    (["customer", "C1", "--from", "31/01/2026"], "--from/--to must be dates like 2026-01-31"),
])
def test_mistakes_are_named(marts, capsys, argv, message):
    assert cluster_marts([*argv, "--db", str(marts)]) == 1
    assert message in capsys.readouterr().out


def test_a_warehouse_without_the_marts_is_named(tmp_path, capsys):
    assert cluster_marts(["customer", "C1", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no warehouse at" in capsys.readouterr().out
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert cluster_marts(["customer", "C1", "--db", str(empty)]) == 1
    assert "has no customer_profile, customer_segments, customer_drift_timeline" in capsys.readouterr().out


def test_an_unreadable_or_older_warehouse_is_a_message(tmp_path, capsys):
    assert cluster_marts(["customer", "C1", "--db", str(tmp_path)]) == 1  # a folder
    assert "no warehouse at" in capsys.readouterr().out
    older = tmp_path / "older.duckdb"
    with duckdb.connect(str(older)) as con:
        for table in ("customer_profile", "customer_segments", "customer_drift_timeline"):
            con.execute(f"create table {table} as select 'C1' as customer_id")
    assert cluster_marts(["customer", "C1", "--db", str(older)]) == 1
    assert f"cannot read {older}:" in capsys.readouterr().out
