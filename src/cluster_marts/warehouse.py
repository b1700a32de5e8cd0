"""Read built marts from the DuckDB warehouse, read-only, with clear failures.

Shared by the report and the Great Expectations checks: both need the same
tables, and both must say which table is missing and what to run, rather
than fail with a DuckDB traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd


class MartError(LookupError):
    """A mart is missing, empty or lacks a column its reader needs."""


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
    if not Path(db_path).is_file():
        raise MartError(f"warehouse {db_path} not found: run `make build` first")
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise MartError(f"cannot open warehouse {db_path}: {exc}") from exc
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
