"""What the published tables mean, as BI tools read it.

The descriptions are the models' YAML docs, read from dbt's ``manifest.json``
of the audited build (the build warehouse has them too, as comments written by
``persist_docs``; the serving copy, made with ``create table as select``, does
not). :func:`write_comments` writes them into the serving file as
``COMMENT ON TABLE`` / ``COMMENT ON COLUMN``; :func:`parquet_metadata` turns
them into the key-value metadata of a Parquet file (``description``, and
``column_descriptions``: a JSON object column -> description).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from cluster_marts.publish.audit import PublishError, published_nodes
from cluster_marts.publish.sql import quote, sql_literal


@dataclass(frozen=True)
class TableDocs:
    """A table's description and its columns' (column name -> text; a column without one is absent)."""

    description: str = ""
    columns: Mapping[str, str] = field(default_factory=dict)


def table_docs(target_dir: str | Path, tables: Iterable[str]) -> dict[str, TableDocs]:
    """The YAML docs of ``tables`` from ``<target_dir>/manifest.json`` (empty for a table it lacks)."""
    nodes = {node.get("alias") or node["name"]: node for node in published_nodes(target_dir)}
    docs = {}
    for table in tables:
        node = nodes.get(table, {})
        columns = {name: _text(column.get("description"))
                   for name, column in (node.get("columns") or {}).items()}
        docs[table] = TableDocs(_text(node.get("description")), {k: v for k, v in columns.items() if v})
    return docs


def write_comments(con: duckdb.DuckDBPyConnection, table: str, docs: TableDocs, schema: str = "main") -> dict:
    """Comment ``schema.table`` and its columns with ``docs``; return the docs written.

    Returns ``{"description": text or None, "columns": {column: text or None}}``, every column of the
    table in its order (None: nothing documented). Column names match case-insensitively.
    """
    relation = f"{quote(schema)}.{quote(table)}"
    found = con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                        [schema, table]).fetchall()[0][0]
    if not found:
        raise PublishError(f"cannot describe {schema}.{table}: no such table in the serving file")
    names = [row[0] for row in con.execute(f"describe {relation}").fetchall()]
    lookup = {name.lower(): text for name, text in docs.columns.items()}
    if docs.description:
        con.execute(f"comment on table {relation} is {sql_literal(docs.description)}")
    columns: dict[str, str | None] = {}
    for name in names:
        text = lookup.get(name.lower()) or None
        if text:
            con.execute(f"comment on column {relation}.{quote(name)} is {sql_literal(text)}")
        columns[name] = text
    return {"description": docs.description or None, "columns": columns}


def parquet_metadata(described: Mapping) -> str:
    """The ``KV_METADATA`` option of DuckDB's ``COPY ... (FORMAT parquet)`` for a table described by
    :func:`write_comments` ("" when there is nothing to say)."""
    columns = {name: text for name, text in (described.get("columns") or {}).items() if text}
    pairs = []
    if described.get("description"):
        pairs.append(f"description: {sql_literal(described['description'])}")
    if columns:
        pairs.append(f"column_descriptions: {sql_literal(json.dumps(columns, ensure_ascii=False))}")
    return f", kv_metadata {{{', '.join(pairs)}}}" if pairs else ""


def _text(value: object) -> str:
    """A description without the blank lines around it (a folded YAML block ends with a newline)."""
    return str(value or "").strip()
