"""Read-only access to the built warehouse for the report pages.

A page asks for what it draws with SQL (aggregates run in DuckDB, not in pandas), checks that the marts
it reads exist (:meth:`Marts.missing`), and says what to run when they do not. :attr:`Marts.domains` are
the domains the warehouse's last build had on (var ``cluster_marts_domains``): the site shows only those.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cluster_marts.warehouse import MartError, built_domains

__all__ = ["Marts"]


class Marts:
    """The warehouse at ``db_path``, opened read-only (a report never blocks a build).

    Raises
    ------
    MartError
        When the file is missing or cannot be opened (the message says to run ``make build``).
    """

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        if not self.db_path.is_file():
            raise MartError(f"warehouse {db_path} not found: run `make build` first")
        try:
            self._con = duckdb.connect(str(self.db_path), read_only=True)
        except duckdb.Error as exc:
            raise MartError(f"cannot open warehouse {db_path}: {exc}") from exc
        self.relations = {row[0] for row in self._con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
        self.domains: tuple[str, ...] = built_domains(self._con)

    def missing(self, tables: Sequence[str]) -> list[str]:
        """The tables or views of ``tables`` that are not in the warehouse."""
        return [t for t in tables if t not in self.relations]

    def df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """The result of ``sql`` as a DataFrame."""
        return self._con.execute(sql, list(params or [])).df()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """The first value of the first row of ``sql`` (None without rows)."""
        row = self._con.execute(sql, list(params or [])).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Marts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
