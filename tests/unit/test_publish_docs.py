"""The published tables' docs: the YAML descriptions of dbt's manifest written into a DuckDB file as
table and column comments, and as Parquet key-value metadata."""

from __future__ import annotations

import json

import duckdb
import pytest

from cluster_marts.publish.audit import PublishError
from cluster_marts.publish.docs import TableDocs, parquet_metadata, table_docs, write_comments


def _comments(con: duckdb.DuckDBPyConnection, table: str) -> tuple[str | None, dict[str, str | None]]:
    described = con.execute("select comment from duckdb_tables() where table_name = ?", [table]).fetchall()
    columns = con.execute("select column_name, comment from duckdb_columns() where table_name = ? "
                          "order by column_index", [table]).fetchall()
    return described[0][0], dict(columns)


@pytest.fixture()
def con(tmp_path):
    with duckdb.connect(str(tmp_path / "serving.duckdb")) as con:
        con.execute('create table segments as select 1 as customer_id, 0.5 as "share of ""top""", 2 as k')
        yield con


def test_the_table_and_its_documented_columns_are_commented_quotes_and_all(con):
    docs = TableDocs("One row per customer's segment; \"fuzzy\" memberships.\n",
                     {"customer_id": "Customer key; never null.", 'share of "top"': "It's 0..1 (the 'top' share).",
                      "not_in_the_table": "ignored"})
    described = write_comments(con, "segments", docs)
    assert _comments(con, "segments") == (
        "One row per customer's segment; \"fuzzy\" memberships.\n",
        {"customer_id": "Customer key; never null.", 'share of "top"': "It's 0..1 (the 'top' share).", "k": None})
    assert described == {"description": docs.description,
                         "columns": {"customer_id": "Customer key; never null.",
                                     'share of "top"': "It's 0..1 (the 'top' share).", "k": None}}


def test_a_table_without_a_description_keeps_its_column_comments(con):
    described = write_comments(con, "segments", TableDocs("", {"K": "Number of segments."}))
    assert _comments(con, "segments") == (None, {"customer_id": None, 'share of "top"': None,
                                                 "k": "Number of segments."})
    assert described["description"] is None


def test_a_table_not_in_the_file_is_an_error(con):
    with pytest.raises(PublishError, match="main.nothing"):
        write_comments(con, "nothing", TableDocs("x"))


def test_the_docs_come_from_the_manifest_without_blank_descriptions(tmp_path):
    nodes = {"model.p.segments": {"resource_type": "model", "name": "segments", "alias": "segments",
                                  "fqn": ["p", "marts", "segments"], "config": {"materialized": "table"},
                                  "description": "Segments.\n",
                                  "columns": {"customer_id": {"description": " Customer key. "},
                                              "k": {"description": ""}}},
             "model.p.bare": {"resource_type": "model", "name": "bare", "alias": "bare",
                              "fqn": ["p", "marts", "bare"], "config": {"materialized": "view"},
                              "description": "", "columns": {}}}
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    assert table_docs(tmp_path, ["segments", "bare", "unknown"]) == {
        "segments": TableDocs("Segments.", {"customer_id": "Customer key."}),
        "bare": TableDocs(), "unknown": TableDocs()}


def test_parquet_files_carry_the_descriptions_as_key_value_metadata(con, tmp_path):
    described = write_comments(con, "segments", TableDocs("It's \"one\" table.", {"k": 'Segments; "k".'}))
    path = tmp_path / "segments.parquet"
    con.execute(f"copy segments to '{path}' (format parquet{parquet_metadata(described)})")
    kv = dict(con.execute(f"select decode(key), decode(value) from parquet_kv_metadata('{path}')").fetchall())
    assert kv["description"] == "It's \"one\" table."
    assert json.loads(kv["column_descriptions"]) == {"k": 'Segments; "k".'}
    assert parquet_metadata(write_comments(con, "segments", TableDocs())) == ""
