"""``cluster-marts build --target spark``: the whole project on a local SparkSession, in one process.

dbt-spark's session method runs the SQL models (and seeds and tests) but not the Python models, and the
graph interleaves them (features -> engine -> marts -> engine -> marts). The build walks the graph in
order and runs it in *waves*: the longest run of ready SQL models as one ``dbt build`` (with their tests,
``--indirect-selection cautious``), then the ready Python models through
:mod:`cluster_marts.spark.python_models` followed by their tests, and so on. Every dbt command is a
``dbtRunner`` call in this process, so the JVM, the SparkSession and the Derby metastore are started once.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SparkBuildError", "Wave", "build_on_spark", "waves"]


class SparkBuildError(RuntimeError):
    """A wave of the Spark build failed (the message names the wave and the failing nodes)."""


@dataclass
class Wave:
    language: str  # "sql" or "python"
    nodes: list[str] = field(default_factory=list)  # unique ids, in graph order


def _upstream(manifest: dict, names: list[str]) -> set[str]:
    """The unique ids of the models named and of every model they depend on."""
    by_name = {node["name"]: uid for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SparkBuildError(f"spark build: no model named {', '.join(missing)}")
    seen, stack = set(), [by_name[n] for n in names]
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        stack += [p for p in manifest["nodes"][uid]["depends_on"]["nodes"] if p in manifest["nodes"]
                  and manifest["nodes"][p]["resource_type"] == "model"]
    return seen


def waves(manifest: dict, upto: list[str] | None = None) -> list[Wave]:
    """The enabled models of ``manifest`` in graph order, grouped into runs of one language; with ``upto``
    (model names) only those models and their ancestors."""
    keep = _upstream(manifest, upto) if upto else None
    models = {uid: node for uid, node in manifest["nodes"].items()
              if node["resource_type"] == "model" and node["config"].get("enabled", True)
              and (keep is None or uid in keep)}
    parents = {uid: {p for p in node["depends_on"]["nodes"] if p in models} for uid, node in models.items()}
    done: set[str] = set()
    result: list[Wave] = []
    language = "sql"
    while len(done) < len(models):
        ready = sorted(uid for uid in models if uid not in done and parents[uid] <= done)
        if not ready:
            raise SparkBuildError(f"the model graph has a cycle among {sorted(set(models) - done)[:5]}")
        same = [uid for uid in ready if models[uid]["language"] == language]
        if not same:
            language = "python" if language == "sql" else "sql"
            continue
        if not result or result[-1].language != language:
            result.append(Wave(language))
        result[-1].nodes += same
        done.update(same)
    return result


def _names(manifest: dict, ids: list[str]) -> list[str]:
    return [manifest["nodes"][uid]["name"] for uid in ids]


def build_on_spark(project_dir: str | Path = ".", dbt_vars: dict | None = None, target: str = "spark",
                   upto: list[str] | None = None, log: Callable[[str], None] = print) -> dict[str, float]:
    """Seed, then build every wave (with ``upto``: the models named and their ancestors only); returns seconds
    per step. Raises :class:`SparkBuildError` on a failure."""
    from dbt.cli.main import dbtRunner

    from cluster_marts.spark.python_models import load_manifest, run_python_model

    project = Path(project_dir).resolve()
    os.environ.setdefault("CLUSTER_MARTS_PROJECT_DIR", str(project))
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the executors run this interpreter and its packages
    # a failing statement is reported by dbt in one line; pyspark would also log its whole Java stack as JSON
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    common = ["--target", target, "--project-dir", str(project), "--profiles-dir",
              os.environ.get("DBT_PROFILES_DIR", str(project))]
    if dbt_vars:
        common += ["--vars", json.dumps(dbt_vars)]
    runner = dbtRunner()
    timings: dict[str, float] = {}

    def invoke(step: str, args: list[str]) -> None:
        started = time.perf_counter()
        result = runner.invoke([*args, *common])
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - started
        if not result.success:
            failed = [r.node.name for r in (result.result or []) if getattr(r, "status", "") in ("error", "fail")]
            raise SparkBuildError(f"spark build: {step} failed{': ' + ', '.join(failed) if failed else ''} "
                                  f"({result.exception or 'see the dbt log above'})")

    invoke("parse", ["parse"])
    manifest = load_manifest(project / "target")
    invoke("seed", ["seed"])
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    for number, wave in enumerate(waves(manifest, upto), start=1):
        names = _names(manifest, wave.nodes)
        step = f"wave {number} ({wave.language}, {len(names)} models)"
        log(f"spark build: {step}: {', '.join(names[:6])}{' ...' if len(names) > 6 else ''}")
        if wave.language == "sql":
            invoke(step, ["build", "--select", *names, "--indirect-selection", "cautious"])
            continue
        started = time.perf_counter()
        for uid in wave.nodes:
            rows = run_python_model(uid, manifest, spark, project)
            log(f"spark build:   {manifest['nodes'][uid]['name']}: {rows} rows")
        timings[step] = time.perf_counter() - started
        invoke(f"{step} tests", ["test", "--select", *names, "--indirect-selection", "cautious"])
    return timings
