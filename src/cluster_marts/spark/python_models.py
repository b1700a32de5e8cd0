"""Run the project's dbt Python models against a local SparkSession, as dbt would on a warehouse that can.

dbt-spark runs SQL models on a local session but not Python models (those are Databricks-only). This
runner gives each Python model what dbt would: ``dbt.ref(name)`` (a :class:`SparkRelation` over the
upstream table), ``dbt.config.get("meta")`` (the node's rendered config from the manifest) and
``dbt.config(...)``, ``dbt.this`` and ``dbt.is_incremental``; it calls the model's
``model(dbt, session)`` and writes the returned pandas frame to
``<schema>.<model>`` (replaced). The model code is the same file dbt runs on DuckDB, so the Spark build
fits with the same estimator on the same rows.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["DbtShim", "SparkRelation", "load_manifest", "run_python_model"]


class SparkRelation:
    """The slice of the DuckDB relation API the Python models use, over a Spark DataFrame."""

    def __init__(self, frame: Any):
        self.frame = frame

    def project(self, columns: str) -> SparkRelation:
        """``select <columns>`` (SQL expressions separated by commas at the top level)."""
        return SparkRelation(self.frame.selectExpr(*_split_top_level(columns)))

    def filter(self, condition: str) -> SparkRelation:
        return SparkRelation(self.frame.filter(condition))

    def join(self, other: SparkRelation, columns: str, how: str = "inner") -> SparkRelation:
        """``join other using (<columns>)`` (DuckDB's ``join`` with a list of column names)."""
        return SparkRelation(self.frame.join(other.frame, on=_split_top_level(columns), how=how))

    def order(self, columns: str) -> SparkRelation:
        """``order by <columns>``."""
        return SparkRelation(self.frame.orderBy(*_split_top_level(columns)))

    def to_arrow_table(self):
        return self.frame.toArrow()

    def df(self) -> pd.DataFrame:
        return self.frame.toPandas()


def _split_top_level(text: str) -> list[str]:
    """``a, f(b, c) as d`` -> ``['a', 'f(b, c) as d']``."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        depth += (char == "(") - (char == ")")
        current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


class _Config(dict):
    """``dbt.config(...)`` (ignored: the runner always writes a table) and ``dbt.config.get(key)``."""

    def __call__(self, **_: Any) -> None:
        return None


class DbtShim:
    """The ``dbt`` object a Python model receives: refs resolved in the manifest, config from its node."""

    def __init__(self, node: dict, manifest: dict, spark: Any, full_refresh: bool = False):
        self._node, self._manifest, self._spark = node, manifest, spark
        self.config = _Config(node["config"])
        self.this = f"{node['schema']}.{node['alias'] or node['name']}"
        self._full_refresh = full_refresh

    @property
    def is_incremental(self) -> bool:
        """As dbt's: an incremental model whose table exists, not fully refreshed."""
        return (self._node["config"].get("materialized") == "incremental" and not self._full_refresh
                and self._spark.catalog.tableExists(self.this))

    def ref(self, name: str, *args: Any, **kwargs: Any) -> SparkRelation:
        for node_id in self._node["depends_on"]["nodes"]:
            node = self._manifest["nodes"].get(node_id)
            if node is not None and node["name"] == name:
                return SparkRelation(self._spark.table(f"{node['schema']}.{node['alias'] or node['name']}"))
        raise KeyError(f"{self._node['name']} refs {name}, which is not among its dependencies")

    def source(self, source_name: str, table_name: str) -> SparkRelation:
        return SparkRelation(self._spark.table(f"{source_name}.{table_name}"))


def load_manifest(target_dir: str | Path) -> dict:
    """``<target_dir>/manifest.json`` (written by ``dbt parse``)."""
    return json.loads((Path(target_dir) / "manifest.json").read_text())


def _load_model_function(path: Path):
    spec = importlib.util.spec_from_file_location(f"cluster_marts_python_model_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.model


def run_python_model(node_id: str, manifest: dict, spark: Any, project_dir: str | Path = ".",
                     full_refresh: bool = False) -> int:
    """Run one Python model and write its table; returns the number of rows written.

    An incremental model sees ``dbt.is_incremental`` and reads its previous
    rows through ``session.sql`` on ``dbt.this``; the project's incremental
    Python models return their whole new state (delete+insert on a key every
    row shares), so the table is replaced here too.
    """
    node = manifest["nodes"][node_id]
    model = _load_model_function(Path(project_dir) / node["original_file_path"])
    result = _typed(model(DbtShim(node, manifest, spark, full_refresh), spark))
    table = f"{node['schema']}.{node['alias'] or node['name']}"
    spark.sql(f"create database if not exists {node['schema']}")
    spark.sql(f"drop table if exists {table}")
    spark.createDataFrame(result).write.mode("overwrite").saveAsTable(table)
    return result.num_rows


def _typed(result: Any):
    """A model's result (pandas, Arrow, or a relation with an Arrow export) as an Arrow table, a column that
    is null in every row typed string (Spark cannot store a void column)."""
    import pyarrow as pa

    if isinstance(result, pd.DataFrame):
        table = pa.Table.from_pandas(result, preserve_index=False)
    elif isinstance(result, pa.Table):
        table = result
    elif hasattr(result, "to_arrow_table"):
        table = result.to_arrow_table()
    elif hasattr(result, "toArrow"):
        table = result.toArrow()
    else:
        raise TypeError(f"a Python model returned {type(result).__name__}: expected a pandas or Arrow table")
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(i, pa.field(field.name, pa.string()), table.column(i).cast(pa.string()))
    return table
