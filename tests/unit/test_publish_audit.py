"""Publish audit: which builds may be published and which tables are, from dbt's own files; and the
Parquet versions kept."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from cluster_marts.publish import PublishError, publish
from cluster_marts.publish.audit import published_models, read_build, refusal
from cluster_marts.publish.parquet import export_parquet


def _run_results(target: Path, statuses: list[str], which: str = "build") -> None:
    target.mkdir(exist_ok=True)
    results = [{"status": status, "unique_id": f"model.p.m{i}"} for i, status in enumerate(statuses)]
    (target / "run_results.json").write_text(json.dumps({
        "metadata": {"invocation_id": "abc-123", "generated_at": "2026-12-01T10:00:00Z"},
        "args": {"which": which, "select": []}, "results": results}))


def _manifest(target: Path, models: list[tuple[list[str], dict]]) -> None:
    nodes = {f"model.p.{fqn[-1]}": {"resource_type": "model", "name": fqn[-1], "alias": fqn[-1], "fqn": fqn,
                                    "config": {"materialized": "table", **config}} for fqn, config in models}
    nodes["test.p.t"] = {"resource_type": "test", "name": "t", "fqn": ["p", "marts", "t"], "config": {}}
    (target / "manifest.json").write_text(json.dumps({"nodes": nodes}))


@pytest.mark.parametrize(("statuses", "which", "allowed"), [
    (["success", "pass", "warn"], "build", True),
    (["success", "fail"], "build", False),
    (["success", "error"], "build", False),
    (["success", "skipped"], "build", False),
    (["success", "pass"], "run", False),
    (["pass"], "test", False),
])
def test_only_a_clean_dbt_build_may_be_published(tmp_path, statuses, which, allowed):
    _run_results(tmp_path, statuses, which)
    record = read_build(tmp_path)
    assert (refusal(record) is None) is allowed
    assert record.n_warnings == statuses.count("warn")
    assert len(record.failures) == sum(s in {"fail", "error", "skipped"} for s in statuses)


def test_no_run_results_is_a_clear_error(tmp_path):
    with pytest.raises(PublishError, match="run `make build`"):
        read_build(tmp_path)


def test_the_marts_folder_and_opted_in_models_are_published(tmp_path):
    _manifest(tmp_path, [
        (["p", "marts", "customers", "customer_segments"], {}),
        (["p", "marts", "customers", "int_customer_helper"], {}),
        (["p", "marts", "x", "ephemeral_one"], {"materialized": "ephemeral"}),
        (["p", "features", "customers", "customer_features"], {"meta": {"publish": True}}),
        (["p", "staging", "stg_customer_orders"], {}),
    ])
    assert published_models(tmp_path) == ["customer_features", "customer_segments"]


def test_a_refused_publish_leaves_the_serving_file_alone(tmp_path):
    serving = tmp_path / "serving.duckdb"
    serving.write_bytes(b"last good version")
    _run_results(tmp_path, ["success", "fail"])
    with pytest.raises(PublishError, match="not published: .*1 failure.*is unchanged"):
        publish(tmp_path / "build.duckdb", serving, target_dir=tmp_path)
    assert serving.read_bytes() == b"last good version"


def test_publish_copies_the_tables_and_keeps_two_parquet_versions(tmp_path):
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as con:
        con.execute("create table customer_segments as select range as customer_id, 'r1' as run_id from range(7)")
        con.execute("create table dbt_invocation as select 'abc-123' as invocation_id")
    _run_results(tmp_path, ["success", "pass"])
    _manifest(tmp_path, [(["p", "marts", "customers", "customer_segments"], {})])
    nodes = json.loads((tmp_path / "manifest.json").read_text())
    nodes["nodes"]["model.p.customer_segments"] |= {
        "description": "One row per customer.\n", "columns": {"customer_id": {"description": "Customer key."}}}
    (tmp_path / "manifest.json").write_text(json.dumps(nodes))
    parquet = tmp_path / "published"
    for _ in range(3):
        manifest = publish(build, tmp_path / "serving.duckdb", target_dir=tmp_path, parquet_dir=parquet)
    assert manifest["tables"] == {"customer_segments": {
        "rows": 7, "run_ids": ["r1"], "description": "One row per customer.",
        "columns": {"customer_id": "Customer key.", "run_id": None}}}
    with duckdb.connect(str(tmp_path / "serving.duckdb"), read_only=True) as con:
        assert con.execute("select comment from duckdb_tables()").fetchall() == [("One row per customer.",)]
    kv = duckdb.sql(f"select decode(key), decode(value) from parquet_kv_metadata("
                    f"'{parquet}/customer_segments/customer_segments.parquet')").fetchall()
    assert dict(kv) == {"description": "One row per customer.",
                        "column_descriptions": '{"customer_id": "Customer key."}'}
    assert parquet.is_symlink()
    assert duckdb.sql(f"select count(*) from '{parquet}/customer_segments/customer_segments.parquet'").fetchall() \
        == [(7,)]
    assert len([p for p in (tmp_path / "published.versions").iterdir()]) == 2
    assert json.loads((parquet / "published.json").read_text())["dbt_invocation_id"] == "abc-123"


def test_a_real_folder_in_the_way_of_the_parquet_link_is_an_error(tmp_path):
    (tmp_path / "published").mkdir()
    with pytest.raises(PublishError, match="not a link written by publish"):
        export_parquet(tmp_path / "serving.duckdb", tmp_path / "published", [], {}, "v1")


def test_a_warehouse_written_by_another_invocation_is_not_published(tmp_path):
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as con:
        con.execute("create table customer_segments as select 1 as customer_id")
        con.execute("create table dbt_invocation as select 'other-run' as invocation_id")
    _run_results(tmp_path, ["success"])
    _manifest(tmp_path, [(["p", "marts", "customers", "customer_segments"], {})])
    with pytest.raises(PublishError, match="last written by dbt invocation other-run.*abc-123"):
        publish(build, tmp_path / "serving.duckdb", target_dir=tmp_path)
    assert not (tmp_path / "serving.duckdb").exists()


def test_a_build_of_one_domain_publishes_its_tables_only(tmp_path):
    """var cluster_marts_domains: [customers]: the other domains' marts are disabled nodes of the manifest and
    their tables, left in the build warehouse by an earlier build, are not published; no error."""
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as con:
        con.execute("create table customer_segments as select range as customer_id from range(3)")
        con.execute("create table provider_clusters as select range as provider_id from range(5)")  # earlier build
        con.execute("create table dbt_invocation as select 'abc-123' as invocation_id, 'customers' as domains")
    _run_results(tmp_path, ["success", "pass"])
    _manifest(tmp_path, [(["p", "marts", "customers", "customer_segments"], {})])
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["disabled"] = {"model.p.provider_clusters": [{
        "resource_type": "model", "name": "provider_clusters", "fqn": ["p", "marts", "providers", "provider_clusters"],
        "config": {"materialized": "table", "enabled": False}}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    published = publish(build, tmp_path / "serving.duckdb", target_dir=tmp_path)
    assert set(published["tables"]) == {"customer_segments"}
    assert published["domains"] == ["customers"]
    with duckdb.connect(str(tmp_path / "serving.duckdb"), read_only=True) as con:
        assert [row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()] \
            == ["customer_segments"]
