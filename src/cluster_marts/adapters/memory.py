"""What a clustering model keeps for its next build, and the lineage of its cluster ids, as records.

A clustering model (providers, demand, customers, every workbench spec) writes, beside its tables,
one ``cluster_memory`` record per cluster (:func:`memory_records`: the
published id, its canonical position, the members' means in original units,
the RMS radius, the next free id) and the ``lineage`` records of the build
(:func:`lineage_records`).  On the next build the model reads its own memory
back (:func:`read_previous`, incremental models) and
:func:`previous_fits` turns it into the
:class:`~cluster_marts.identity.lineage.PreviousFit` of each scope.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.long_table import RECORD, RECORD_TYPE
from cluster_marts.identity.lineage import ClusterMemory, IdMatch, PreviousFit, lineage_events
from cluster_marts.progress import LOGGER

__all__ = ["memory_records", "lineage_records", "previous_fits", "previous_records", "read_previous", "current_layout",
           "MEMORY_COLUMNS", "LINEAGE_COLUMNS", "FIT_KEY"]

#: a column holding the domain (a workbench spec: its name) on every row: the incremental model's unique key, so each
#: build replaces every row
FIT_KEY = "fit_key"
MEMORY_COLUMNS = ["scope", "method", "run_id", "cluster_id", "position", "features", "means", "radius", "size",
                  "next_id"]
#: the record types a build reads back from its own previous table
_KEPT = ("cluster_memory", "lineage")
LINEAGE_COLUMNS = ["domain", "scope", "method", "run_id", "previous_run_id", "cluster_id", "previous_cluster_id",
                   "event", "distance", "reason"]


def memory_records(scope: str, method: str, run_id: str, memory: ClusterMemory) -> pd.DataFrame:
    """One row per cluster of a fit: what the next build's fit of ``(scope, method)`` is matched against.

    ``cluster_id`` the published id, ``position`` the cluster's canonical
    index (where a positional list such as a customer's memberships holds
    it), ``features`` and ``means`` (members' means in original units) JSON
    lists, ``radius`` the members' RMS distance to their mean (scaled space),
    ``size``, ``next_id`` the first id never issued in the scope.
    """
    return pd.DataFrame({
        "scope": scope, "method": method, "run_id": run_id,
        "cluster_id": memory.ids.ids.astype("int64"),
        "position": np.arange(memory.ids.ids.size, dtype="int64"),
        "features": json.dumps(list(memory.features)),
        "means": [json.dumps([None if np.isnan(v) else float(v) for v in row]) for row in memory.means],
        "radius": [None if np.isnan(r) else float(r) for r in memory.radius],
        "size": memory.sizes.astype("int64"),
        "next_id": int(memory.ids.next_id),
    }, columns=MEMORY_COLUMNS)


def _of_type(records: pd.DataFrame | None, record_type: str) -> pd.DataFrame | None:
    """The rows of one record type of :func:`read_previous`'s frame (a frame without ``record_type``: memory)."""
    if records is None or records.empty:
        return None
    if RECORD_TYPE not in records.columns:
        return records if record_type == "cluster_memory" else None
    return records[records[RECORD_TYPE] == record_type]


def previous_fits(records: pd.DataFrame | None) -> dict[tuple[str, str], PreviousFit]:
    """The previous build's fits by ``(scope, method)``, from its ``cluster_memory`` records."""
    records = _of_type(records, "cluster_memory")
    if records is None or records.empty:
        return {}
    out = {}
    for (scope, method), rows in records.groupby(["scope", "method"], sort=True):
        rows = rows.sort_values("cluster_id")
        means = np.array([[np.nan if v is None else v for v in json.loads(m)] for m in rows["means"]], dtype=float)
        out[(str(scope), str(method))] = PreviousFit(
            run_id=str(rows["run_id"].iat[0]), features=tuple(json.loads(rows["features"].iat[0])),
            cluster_ids=rows["cluster_id"].astype("int64").to_numpy(), means=means,
            radius=pd.to_numeric(rows["radius"]).astype(float).to_numpy(), next_id=int(rows["next_id"].max()),
        )
    return out


def lineage_records(domain: str, scope: str, method: str, run_id: str, ids: IdMatch,
                    previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """The lineage events of one fit (:func:`~cluster_marts.identity.lineage.lineage_events`).

    Columns :data:`LINEAGE_COLUMNS`.  A fit that is the previous one (same
    run, every id kept: no new event) carries the previous build's events of
    its ids forward (``previous``: :func:`read_previous`'s frame), so the
    table always holds the events that led to its ids, and ``cluster_lineage``
    records them even when it was not built with the fit that made them (it
    records each event once).
    """
    rows = [{"domain": domain, "scope": scope, "method": method, "run_id": run_id,
             "previous_run_id": ids.previous_run_id, **event}
            for event in lineage_events(ids, run_id)]
    earlier = _of_type(previous, "lineage")
    if not rows and earlier is not None and not earlier.empty:
        mine = earlier[(earlier["scope"] == scope) & (earlier["method"] == method) & (earlier["run_id"] == run_id)]
        return mine.reindex(columns=LINEAGE_COLUMNS).reset_index(drop=True)
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)


def read_previous(dbt: Any, session: Any, key: str) -> pd.DataFrame | None:
    """The ``cluster_memory`` and ``lineage`` rows a model's previous build left in its own table; None when fresh.

    One row per record, decoded, with its ``record_type``.  For an
    incremental dbt Python model: reads ``dbt.this`` when
    ``dbt.is_incremental`` (DuckDB and the Spark runner alike).  A table
    built before its rows carried :data:`FIT_KEY` and records (``key`` is the
    model's) has no memory: its ids are numbered afresh, and
    :func:`current_layout` replaces the table.
    """
    if not getattr(dbt, "is_incremental", False):
        return None
    columns = set(session.sql(f"select * from {dbt.this} limit 0").columns)
    if not {FIT_KEY, RECORD_TYPE, RECORD} <= columns:
        LOGGER.info("%s: the table was built before cluster ids were kept (no %s records keyed by %s = %r): ids are "
                    "numbered afresh", dbt.this, RECORD_TYPE, FIT_KEY, key)
        return None
    return previous_records(to_frame(session.sql(f"select {RECORD_TYPE}, {RECORD} from {dbt.this} "
                                                 f"where {RECORD_TYPE} in {_KEPT}")))


def current_layout(dbt: Any, session: Any, table: pa.Table | pd.DataFrame) -> pa.Table | pd.DataFrame:
    """``table``, after replacing the model's previous table by an empty one of its layout if the columns differ.

    Call it last in an incremental clustering model (DuckDB), after
    :func:`read_previous`: a table written before a change of its columns
    (an older release's layout, or a feature added to or removed from the
    model's input) cannot take this build's rows; its records were read
    already, so it is replaced, in place, by an empty table with the columns
    of ``table``, and dbt's ``delete+insert`` fills it: no ``--full-refresh``
    needed.  The Spark runner overwrites the table on every build.
    """
    if not getattr(dbt, "is_incremental", False) or not hasattr(session, "register"):
        return table
    columns = table.column_names if isinstance(table, pa.Table) else [str(c) for c in table.columns]
    if list(session.sql(f"select * from {dbt.this} limit 0").columns) == columns:
        return table
    LOGGER.info("%s: the columns changed since the last build; the table is replaced (its cluster memory was read)",
                dbt.this)
    session.register("_current_layout", table.slice(0, 0) if isinstance(table, pa.Table) else table.iloc[:0])
    try:
        session.execute(f"create or replace table {dbt.this} as select * from _current_layout")
    finally:
        session.unregister("_current_layout")
    return table


def previous_records(long: pd.DataFrame) -> pd.DataFrame:
    """The ``cluster_memory`` and ``lineage`` records of a long table, decoded, with their ``record_type``.

    What :func:`read_previous` returns for the table a build wrote; the
    input of :func:`previous_fits` and :func:`lineage_records`.
    """
    kept = long[long[RECORD_TYPE].isin(_KEPT)]
    return pd.DataFrame([{**json.loads(text), RECORD_TYPE: kind}
                         for kind, text in zip(kept[RECORD_TYPE], kept[RECORD])])
