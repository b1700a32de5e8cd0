"""The serving warehouse: a copy of the published tables, swapped in whole.

The copy is written to a temporary file beside the serving file and renamed
over it (``os.replace``, atomic on one file system). A reader that opened the
old file keeps reading that version to the end of its connection (the old
file lives on until its last reader closes it); a new connection opens the
new one. A publish that dies half way leaves a temporary file, never a half
written serving file; the next publish removes it. Publishes take an
exclusive lock beside the serving file, so two never interleave. The copy
(``create table as select``) keeps no comments: each table and column is
commented again from the models' YAML docs (:mod:`~cluster_marts.publish.docs`).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cluster_marts.publish.audit import PublishError
from cluster_marts.publish.docs import TableDocs, write_comments
from cluster_marts.publish.sql import quote, sql_literal

#: run ids listed per table in the manifest (snapshot histories hold many)
MAX_RUN_IDS = 20


@contextmanager
def publish_lock(serving: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<serving>.lock`` (waits for a running publish)."""
    lock = serving.with_name(serving.name + ".lock")
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(serving: Path) -> list[Path]:
    """Delete temporary files of earlier, interrupted publishes (call under the lock)."""
    leftovers = sorted(serving.parent.glob(f".{serving.name}.*.tmp*"))
    for path in leftovers:
        path.unlink(missing_ok=True)
    return leftovers


def built_by(build_db: Path) -> str | None:
    """The dbt invocation that last ran against ``build_db`` (table ``dbt_invocation``), or None."""
    if not build_db.is_file():
        raise PublishError(f"build warehouse {build_db} not found: run `make build` first")
    with duckdb.connect(str(build_db), read_only=True) as con:
        found = con.execute("select count(*) from information_schema.tables "
                            "where table_schema = 'main' and table_name = 'dbt_invocation'").fetchall()[0][0]
        if not found:
            return None
        rows = con.execute("select invocation_id from main.dbt_invocation").fetchall()
    return rows[0][0] if rows else None


def copy_tables(build_db: Path, serving: Path, tables: Sequence[str],
                docs: Mapping[str, TableDocs] | None = None) -> dict[str, dict]:
    """Write ``tables`` of ``build_db`` into a new serving file, commented with ``docs``, and swap it in.

    Returns ``{table: {"rows": n, "run_ids": [...], "description": ..., "columns": {column: ...}}}``
    as read from the copy (:func:`~cluster_marts.publish.docs.write_comments`).
    Call under :func:`publish_lock`.
    """
    if not build_db.is_file():
        raise PublishError(f"build warehouse {build_db} not found: run `make build` first")
    tmp = serving.with_name(f".{serving.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"attach {sql_literal(build_db)} as build (read_only)")
        present = {row[0] for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'build' and table_schema = 'main'").fetchall()}
        missing = [table for table in tables if table not in present]
        if missing:
            raise PublishError(f"build warehouse {build_db} lacks {', '.join(missing)}: "
                               "the build that wrote run_results.json did not write this file; rerun `make build`")
        summary = {}
        for table in tables:
            con.execute(f"create table main.{quote(table)} as select * from build.main.{quote(table)}")
            described = write_comments(con, table, (docs or {}).get(table, TableDocs()))
            summary[table] = _describe(con, table) | described
        con.execute("detach build")
        con.execute("checkpoint")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    _fsync(tmp)
    os.replace(tmp, serving)
    _fsync(serving.parent)
    return summary


def _describe(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    rows = con.execute(f"select count(*) from main.{quote(table)}").fetchall()[0][0]
    columns = {row[0] for row in con.execute(f"describe main.{quote(table)}").fetchall()}
    run_ids: list[str] = []
    if "run_id" in columns:
        run_ids = [row[0] for row in con.execute(
            f"select distinct run_id from main.{quote(table)} where run_id is not null "
            f"order by run_id limit {MAX_RUN_IDS}").fetchall()]
    return {"rows": int(rows), "run_ids": run_ids}


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
