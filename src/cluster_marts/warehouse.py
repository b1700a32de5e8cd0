"""Read built marts from the DuckDB warehouse, read-only, with clear failures.

Shared by the report and the Great Expectations checks: both need the same
tables, and both must say which table is missing and what to run, rather
than fail with a DuckDB traceback. :func:`built_domains` says which domains
the warehouse's last build had on (var ``cluster_marts_domains``), so a reader
leaves out a domain that was switched off instead of reading its old tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

#: the domains, in the order of var ``cluster_marts_domains``' default (``macros/domains.sql``,
#: ``dbt_project.yml``)
DOMAINS: tuple[str, ...] = ("providers", "demand", "customers", "workbench")


class MartError(LookupError):
    """A mart is missing, empty or lacks a column its reader needs."""


def built_domains(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The domains the last dbt invocation against the warehouse of ``con`` had on.

    Read from table ``dbt_invocation`` (column ``domains``, written by the on-run-end hook
    ``record_build_invocation``); every domain when the warehouse has no such record (a warehouse
    built before the column existed, or with the hook off), in the order of :data:`DOMAINS`.
    """
    found = con.execute("select count(*) from information_schema.columns where table_schema = 'main' "
                        "and table_name = 'dbt_invocation' and column_name = 'domains'").fetchall()[0][0]
    rows = con.execute("select domains from main.dbt_invocation").fetchall() if found else []
    if not rows or rows[0][0] is None:
        return DOMAINS
    named = {name.strip() for name in str(rows[0][0]).split(",")}
    return tuple(domain for domain in DOMAINS if domain in named)


def _connect_read_only(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse file ``db_path``, or :class:`MartError` saying to build it."""
    if not Path(db_path).is_file():
        raise MartError(f"warehouse {db_path} not found: run `make build` first")
    try:
        return duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise MartError(f"cannot open warehouse {db_path}: {exc}") from exc


def built_domains_of(db_path: str | Path) -> tuple[str, ...]:
    """:func:`built_domains` of the warehouse file ``db_path`` (opened read-only).

    Raises
    ------
    MartError
        When the file is missing or cannot be opened.
    """
    con = _connect_read_only(db_path)
    try:
        return built_domains(con)
    finally:
        con.close()


def read_marts(db_path: str | Path, tables: Mapping[str, Iterable[str]]) -> dict[str, pd.DataFrame]:
    """Return ``{table: DataFrame}`` for every table of ``tables`` (schema ``main``).

    Parameters
    ----------
    db_path : str or Path
        DuckDB warehouse file; opened read-only so a reader never blocks dbt.
    tables : mapping
        Table name -> columns the caller needs (may be empty).

    Raises
    ------
    MartError
        When the file, a table or a column is missing, or a table is empty; the
        message names it and says to run ``make build``.
    """
    con = _connect_read_only(db_path)
    try:
        present = {row[0] for row in con.sql(
            "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
        frames = {}
        for table, columns in tables.items():
            if table not in present:
                raise MartError(f"mart main.{table} is missing from {db_path}: run `make build` first")
            frame = con.sql(f"select * from main.{table}").df()
            if frame.empty:
                raise MartError(f"mart main.{table} in {db_path} is empty: run `make build` first")
            lacking = [c for c in columns if c not in frame.columns]
            if lacking:
                raise MartError(f"mart main.{table} lacks column(s) {', '.join(lacking)}: "
                                "rebuild it with `make build` (is the dbt project up to date?)")
            frames[table] = frame
    finally:
        con.close()
    return frames
