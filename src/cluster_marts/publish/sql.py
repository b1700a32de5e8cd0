"""SQL text for the publish step: quoted identifiers and string literals."""

from __future__ import annotations

from pathlib import Path


def quote(name: str) -> str:
    """``name`` as a quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str | Path) -> str:
    """``text`` (a path or any string) as a SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"
