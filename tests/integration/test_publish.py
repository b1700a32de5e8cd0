"""Write, audit, publish: a BI reader on the serving file never sees a build, a failed build is never
published, and an interrupted publish never leaves a broken serving file.

Each test works on a private copy of the built warehouse; the builds are `dbt build -s source:raw.ai_models+`
(the provider marts and their tests, seconds), with their own dbt target folder, so run_results.json is theirs.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, copy_project, run_dbt

pytestmark = pytest.mark.integration

CLI = Path(sys.executable).parent / "cluster-marts"
SELECT = "source:raw.ai_models+"

READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
count = lambda c: c.execute("select count(*) from provider_cluster_summary").fetchall()[0][0]
print(count(con), flush=True)
sys.stdin.readline()                      # the test builds and publishes meanwhile
print(count(con), flush=True)             # the connection opened before the publish
"""


def _build(project: Path, db: Path, tmp: Path, raw: Path, extra: dict | None = None,
           select: str = SELECT) -> subprocess.CompletedProcess:
    """``dbt build --select <select>``; its run_results.json lands in ``tmp / "dbt_target"``."""
    return run_dbt(["build", "--select", select], db=db, project_dir=project, raw=raw, tmp=tmp, dbt_vars=extra)


def _publish(db: Path, serving: Path, target: Path, parquet: Path | None = None) -> subprocess.Popen:
    args = [str(CLI), "publish", "--db", str(db), "--serving", str(serving), "--target-dir", str(target)]
    if parquet is not None:
        args += ["--parquet", str(parquet)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run_publish(*args, **kwargs) -> tuple[int, str]:
    process = _publish(*args, **kwargs)
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _summary_rows(serving: Path) -> int:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute("select count(*) from provider_cluster_summary").fetchall()[0][0]


@pytest.fixture()
def published(warehouse_copy, raw_dir, tmp_path) -> dict:
    """A clean build of the copy, published once (with Parquet)."""
    target = tmp_path / "dbt_target"
    done = _build(PROJECT_ROOT, warehouse_copy, tmp_path, raw_dir)
    assert done.returncode == 0, done.stdout[-3000:]
    serving, parquet = tmp_path / "serving.duckdb", tmp_path / "published"
    code, output = _run_publish(warehouse_copy, serving, target, parquet)
    assert code == 0, output
    return {"db": warehouse_copy, "target": target, "serving": serving, "parquet": parquet}


def test_a_reader_keeps_its_version_while_a_build_and_a_publish_run(published, raw_dir):
    serving = published["serving"]
    reader = subprocess.Popen([sys.executable, "-c", READER, str(serving)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    before = int(reader.stdout.readline())
    # k fixed at one cluster fewer than the published build: a new build with other row counts
    done = _build(PROJECT_ROOT, published["db"], published["target"].parent, raw_dir,
                  {"provider_k_min": before - 1, "provider_k_max": before - 1})
    assert done.returncode == 0, done.stdout[-3000:]
    code, output = _run_publish(published["db"], serving, published["target"], published["parquet"])
    assert code == 0, output
    out, err = reader.communicate("go\n", timeout=60)
    assert reader.returncode == 0, err
    assert int(out) == before  # the open connection still reads its version
    assert _summary_rows(serving) == before - 1  # a new connection (another process) reads the new one
    manifest = json.loads((serving.parent / "published.json").read_text())
    assert manifest["tables"]["provider_cluster_summary"]["rows"] == before - 1
    parquet = published["parquet"] / "provider_cluster_summary" / "provider_cluster_summary.parquet"
    assert duckdb.sql(f"select count(*) from '{parquet}'").fetchall()[0][0] == before - 1
    assert len(list((serving.parent / "published.versions").iterdir())) == 2


def test_every_published_table_matches_the_build(published):
    manifest = json.loads((published["serving"].parent / "published.json").read_text())
    with duckdb.connect(str(published["db"]), read_only=True) as build, \
            duckdb.connect(str(published["serving"]), read_only=True) as serving:
        tables = {row[0] for row in serving.execute("select table_name from information_schema.tables").fetchall()}
        assert tables == set(manifest["tables"])
        assert {"customer_segments", "customer_membership_snapshots", "provider_clusters", "dfu_cluster_labels",
                "clustering_runs", "workbench_clusters"} <= tables
        assert not {t for t in tables if t.startswith(("int_", "stg_"))}
        for table, described in manifest["tables"].items():
            rows = build.execute(f'select count(*) from "{table}"').fetchall()[0][0]
            assert serving.execute(f'select count(*) from "{table}"').fetchall()[0][0] == rows == described["rows"]
    assert manifest["dbt_invocation_id"] and manifest["build_generated_at"]
    _assert_every_column_described(published["serving"], manifest, published["parquet"])


def _assert_every_column_described(serving: Path, manifest: dict, parquet: Path) -> None:
    """Every published table and column has a comment from the models' YAML docs, in the serving file, in
    published.json and in the Parquet files' key-value metadata."""
    with duckdb.connect(str(serving), read_only=True) as con:
        tables = dict(con.execute("select table_name, comment from duckdb_tables() "
                                  "where not internal and schema_name = 'main'").fetchall())
        columns = con.execute("select table_name, column_name, comment from duckdb_columns() where not internal "
                              "and schema_name = 'main' order by table_name, column_index").fetchall()
    bare_tables = sorted(table for table, comment in tables.items() if not (comment or "").strip())
    assert not bare_tables, f"published tables without a description (models' YAML): {', '.join(bare_tables)}"
    bare: dict[str, list[str]] = {}
    for table, column, comment in columns:
        if not (comment or "").strip():
            bare.setdefault(table, []).append(column)
    assert not bare, "published columns without a description (document them in the models' YAML): " + "; ".join(
        f"{table}: {', '.join(names)}" for table, names in bare.items())
    for table, described in manifest["tables"].items():
        assert described["description"] == tables[table]
        assert described["columns"] == {column: comment for t, column, comment in columns if t == table}
        path = parquet / table / f"{table}.parquet"
        kv = dict(duckdb.sql(f"select decode(key), decode(value) from parquet_kv_metadata('{path}')").fetchall())
        assert kv["description"] == described["description"], table
        assert json.loads(kv["column_descriptions"]) == described["columns"], table


def test_a_build_with_a_failing_test_is_not_published(published, raw_dir, tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "tests" / "dbt" / "a_test_that_fails.sql").write_text("select 1 as broken\n")
    before = _digest(published["serving"])
    done = _build(project, published["db"], published["target"].parent, raw_dir,
                  select=f"{SELECT} a_test_that_fails")
    assert done.returncode != 0
    code, output = _run_publish(published["db"], published["serving"], published["target"])
    assert code == 1
    assert "not published" in output and "a_test_that_fails" in output and "keeps the version" in output
    assert _digest(published["serving"]) == before


def test_an_interrupted_publish_leaves_the_serving_file_whole(published):
    serving = published["serving"]
    before = _digest(serving)
    process = _publish(published["db"], serving, published["target"])
    leftover = serving.with_name(f".{serving.name}.{process.pid}.tmp")
    deadline = time.monotonic() + 60
    while not leftover.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert leftover.exists(), "the publish finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _digest(serving) == before and _summary_rows(serving) > 0
    code, output = _run_publish(published["db"], serving, published["target"])
    assert code == 0, output
    assert not leftover.exists()
    # two publishes at once: the second waits for the first; the file is whole after both
    first, second = (_publish(published["db"], serving, published["target"]) for _ in range(2))
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    assert _summary_rows(serving) > 0
    assert not list(serving.parent.glob(f".{serving.name}.*.tmp"))
