"""One customer on demand: ``cluster-marts customer <id>`` prints who the customer is now and how they got there.

Reads the marts only (the build or the serving warehouse, read-only):

* ``customer_profile``: orders, revenue, first and last order, the latest lapse risk and the expected
  value;
* ``customer_segments``: the current segment of every axis for one method (the primary method,
  ``fcm``, by default), with its name, membership and whether the customer is between two segments;
* ``customer_drift_timeline``: the thumbprint history (the dominant segment's name on every axis at
  every snapshot of one type) and the drift by axis over a date range: the snapshots, segment changes,
  summed drift score and the worst severity.

An unknown id, a warehouse without the customer marts or a date range without snapshots gives a clear
message and exit code 1, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cluster_marts.errors import preview

__all__ = ["MARTS", "customer_card", "default_snapshot_type", "run_customer"]

#: the marts the card reads
MARTS = ("customer_profile", "customer_segments", "customer_drift_timeline")
#: the snapshot type a reader shows when none is asked for (the card's history, the report site's pages):
#: the build's primary type, marked in customer_snapshot_catalog; in a warehouse without that mark, monthly
#: when ``{table}`` has monthly snapshots, else the type of its latest snapshot
PRIMARY_TYPE_SQL = "select snapshot_type from customer_snapshot_catalog where is_primary_type limit 1"
FALLBACK_TYPE_SQL = ("select snapshot_type from {table} group by 1 "
                     "order by snapshot_type = 'monthly' desc, max(snapshot_date) desc, 1 limit 1")
_FACTS = ("orders", "revenue", "first_ordered_at", "last_ordered_at", "lapse_snapshot_date", "lapse_score",
          "is_lapsing", "reason", "expected_orders", "expected_spend", "p_alive")


def _table(frame: pd.DataFrame) -> str:
    return frame.to_string(index=False, na_rep="-", float_format=lambda v: f"{v:.3f}")


def _facts(con: duckdb.DuckDBPyConnection, customer_id: str) -> dict | None:
    rows = con.execute(f"select {', '.join(_FACTS)} from customer_profile where customer_id = ?",
                       [customer_id]).fetchall()
    return dict(zip(_FACTS, rows[0], strict=True)) if rows else None


def default_snapshot_type(scalar: Callable[[str], Any], table: str = "customer_drift_timeline") -> str | None:
    """The snapshot type shown when none is asked for (:data:`PRIMARY_TYPE_SQL`, else
    :data:`FALLBACK_TYPE_SQL` over ``table``); None without snapshots. ``scalar`` runs a query and returns
    its first value (None without rows)."""
    try:
        primary = scalar(PRIMARY_TYPE_SQL)
    except duckdb.Error:  # no catalog, or one built before it marked the primary type
        primary = None
    return primary or scalar(FALLBACK_TYPE_SQL.format(table=table))


def _scalar(con: duckdb.DuckDBPyConnection) -> Callable[[str], Any]:
    def run(sql: str) -> Any:
        rows = con.execute(sql).fetchall()
        return rows[0][0] if rows else None
    return run


def customer_card(con: duckdb.DuckDBPyConnection, customer_id: str, *, method: str = "fcm",
                  snapshot_type: str | None = None, start: dt.date | None = None,
                  end: dt.date | None = None) -> str:
    """The text ``cluster-marts customer`` prints for ``customer_id``; the history of ``snapshot_type``
    snapshots (default: :func:`default_snapshot_type`).

    Raises
    ------
    LookupError
        The customer is not in ``customer_profile`` (the message names a few ids that are).
    """
    facts = _facts(con, customer_id)
    if facts is None:
        some = [row[0] for row in con.execute("select customer_id from customer_profile order by 1 limit 5").fetchall()]
        raise LookupError(f"customer {customer_id!r} is not in customer_profile (customers with a valid order); "
                          f"e.g. {preview(some) or 'none: the table is empty'}")
    lines = [f"customer {customer_id}: {facts['orders']} orders, revenue {facts['revenue']:.2f}, "
             f"first {facts['first_ordered_at']:%Y-%m-%d}, last {facts['last_ordered_at']:%Y-%m-%d}"]
    if facts["lapse_score"] is not None:
        lines.append(f"lapse risk {facts['lapse_score']:.2f} on {facts['lapse_snapshot_date']}"
                     f"{' (lapsing)' if facts['is_lapsing'] else ''}: {facts['reason']}")
    if facts["expected_spend"] is not None:
        lines.append(f"expected next year: {facts['expected_orders']:.1f} orders, {facts['expected_spend']:.2f} "
                     f"spend, P(alive) {facts['p_alive']:.2f}")
    segments = con.execute("""
        select axis, segment_name as segment, segment_group as "group", max_membership as membership,
               is_transitioning as transitioning
        from customer_segments where customer_id = ? and method = ? order by axis
    """, [customer_id, method]).df()
    lines += ["", f"segments now ({method}; an axis missing here does not include this customer):",
              _table(segments) if len(segments) else "  none"]
    shown = snapshot_type or default_snapshot_type(_scalar(con)) or "monthly"
    lines += ["", *_history(con, customer_id, shown, start, end)]
    return "\n".join(lines)


def _history(con: duckdb.DuckDBPyConnection, customer_id: str, snapshot_type: str, start: dt.date | None,
             end: dt.date | None) -> list[str]:
    timeline = con.execute("""
        select snapshot_date, axis, dominant_segment_name, drift_score, severity, severity_rank, segment_changed
        from customer_drift_timeline
        where customer_id = ? and snapshot_type = ?
          and snapshot_date >= coalesce(?, snapshot_date) and snapshot_date <= coalesce(?, snapshot_date)
        order by snapshot_date, axis
    """, [customer_id, snapshot_type, start, end]).df()
    span = f"{start or 'the first'} .. {end or 'the last'} snapshot"
    if timeline.empty:
        return [f"history ({snapshot_type} snapshots, {span}): no snapshot of this customer in that range"]
    thumbprints = timeline.pivot(index="snapshot_date", columns="axis", values="dominant_segment_name")
    thumbprints.index = [f"{day:%Y-%m-%d}" for day in pd.to_datetime(thumbprints.index)]
    drift = timeline.groupby("axis").agg(
        snapshots=("snapshot_date", "size"), changes=("segment_changed", "sum"),
        drift=("drift_score", "sum"), worst_rank=("severity_rank", "max"))
    worst = timeline.sort_values("severity_rank", na_position="first").groupby("axis")["severity"].last()
    drift = drift.assign(worst=worst).drop(columns="worst_rank").reset_index()
    return [f"history ({snapshot_type} snapshots, {span}): the dominant segment of every axis",
            thumbprints.rename_axis("snapshot").to_string(na_rep="-"),
            "", "drift by axis over that range (changes of dominant segment, summed drift score, worst severity):",
            _table(drift)]


def run_customer(db_path: str | Path, customer_id: str, *, method: str = "fcm", snapshot_type: str | None = None,
                 start: str | None = None, end: str | None = None) -> int:
    """Print the card of ``customer_id`` from the marts of ``db_path``; 0, or 1 with the reason."""
    path = Path(db_path)
    if not path.is_file():
        print(f"cluster-marts customer: no warehouse at {path}; build one (make build) or pass --db", flush=True)
        return 1
    try:
        dates = [dt.date.fromisoformat(day) if day else None for day in (start, end)]
    except ValueError as error:
        print(f"cluster-marts customer: --from/--to must be dates like 2026-01-31 ({error})", flush=True)
        return 1
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            present = {row[0] for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
            missing = [name for name in MARTS if name not in present]
            if missing:
                print(f"cluster-marts customer: {path} has no {', '.join(missing)}; build the customer marts "
                      "(make build, or dbt build -s +customer_profile +customer_drift_timeline)", flush=True)
                return 1
            print(customer_card(con, customer_id, method=method, snapshot_type=snapshot_type,
                                start=dates[0], end=dates[1]), flush=True)
    except LookupError as error:
        print(f"cluster-marts customer: {error}", flush=True)
        return 1
    except duckdb.Error as error:
        print(f"cluster-marts customer: cannot read {path}: {str(error).splitlines()[0]} (a build still running "
              "holds the file; a warehouse of an older version lacks columns: rebuild it)", flush=True)
        return 1
    return 0
