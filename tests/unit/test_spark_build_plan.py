"""The Spark build's plan: SQL and Python models in graph order, grouped into waves of one language, and the
DuckDB-relation calls the Python models make, mapped to Spark (no Spark needed)."""

from __future__ import annotations

import pytest

from cluster_marts.spark.build import SparkBuildError, waves
from cluster_marts.spark.python_models import _split_top_level


def _manifest(edges: dict[str, tuple[str, list[str]]]) -> dict:
    return {"nodes": {
        f"model.p.{name}": {"resource_type": "model", "name": name, "language": language, "config": {},
                            "depends_on": {"nodes": [f"model.p.{p}" for p in parents]}}
        for name, (language, parents) in edges.items()} | {
        "test.p.t": {"resource_type": "test", "name": "t", "language": "sql", "config": {},
                     "depends_on": {"nodes": ["model.p.stg"]}}}}


def test_waves_follow_the_graph_and_group_by_language():
    manifest = _manifest({
        "stg": ("sql", []), "features": ("sql", ["stg"]), "other_stg": ("sql", []),
        "fit": ("python", ["features"]), "mart": ("sql", ["fit"]), "reference": ("python", ["features"]),
        "snapshots": ("sql", ["reference", "features"]), "scores": ("python", ["snapshots"]),
        "lapse": ("sql", ["scores", "mart"]),
    })
    plan = [(w.language, [uid.split(".")[-1] for uid in w.nodes]) for w in waves(manifest)]
    assert plan == [("sql", ["other_stg", "stg", "features"]), ("python", ["fit", "reference"]),
                    ("sql", ["mart", "snapshots"]), ("python", ["scores"]), ("sql", ["lapse"])]


def test_a_cycle_is_named():
    manifest = _manifest({"a": ("sql", ["b"]), "b": ("python", ["a"])})
    with pytest.raises(SparkBuildError, match="cycle"):
        waves(manifest)


def test_disabled_models_are_left_out():
    manifest = _manifest({"a": ("sql", []), "b": ("python", ["a"])})
    manifest["nodes"]["model.p.b"]["config"]["enabled"] = False
    assert [w.language for w in waves(manifest)] == ["sql"]


def test_projections_split_at_top_level_commas_only():
    assert _split_top_level("customer_id, coalesce(drift_score, 0) as activity_drift, f(a, g(b, c)) x") == [
        "customer_id", "coalesce(drift_score, 0) as activity_drift", "f(a, g(b, c)) x"]


def test_upto_keeps_the_named_models_and_their_ancestors_only():
    manifest = _manifest({"stg": ("sql", []), "features": ("sql", ["stg"]), "fit": ("python", ["features"]),
                          "mart": ("sql", ["fit"]), "other": ("sql", [])})
    plan = [(w.language, [uid.split(".")[-1] for uid in w.nodes]) for w in waves(manifest, ["fit"])]
    assert plan == [("sql", ["stg", "features"]), ("python", ["fit"])]
    with pytest.raises(SparkBuildError, match="no model named nope"):
        waves(manifest, ["nope"])


class _Catalog:
    def __init__(self, tables):
        self.tables = set(tables)

    def tableExists(self, name):  # noqa: N802 (Spark's name)
        return name in self.tables


class _Spark:
    def __init__(self, tables=()):
        self.catalog = _Catalog(tables)


@pytest.mark.parametrize("materialized, exists, full_refresh, expected", [
    ("incremental", True, False, True),
    ("incremental", False, False, False),  # first build
    ("incremental", True, True, False),  # --full-refresh
    ("table", True, False, False),
])
def test_an_incremental_python_model_sees_its_own_table_as_dbt_would(materialized, exists, full_refresh, expected):
    from cluster_marts.spark.python_models import DbtShim

    node = {"name": "int_fit", "alias": None, "schema": "s", "config": {"materialized": materialized},
            "depends_on": {"nodes": []}}
    shim = DbtShim(node, {"nodes": {}}, _Spark(["s.int_fit"] if exists else []), full_refresh=full_refresh)
    assert shim.this == "s.int_fit"
    assert shim.is_incremental is expected
