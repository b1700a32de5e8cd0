"""Command-line entry of the Spark build: clear messages instead of tracebacks."""

from __future__ import annotations

import sys

import yaml

__all__ = ["run_spark_build"]


def run_spark_build(vars_text: str | None = None, project_dir: str = ".") -> int:
    """0 when every wave built; 1 with the failing wave; 2 when the spark extra is not installed."""
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        print(f"build --target spark needs the spark extra (pip install -e '.[spark]'): {exc}", file=sys.stderr)
        return 2
    from cluster_marts.spark.build import SparkBuildError, build_on_spark

    dbt_vars = yaml.safe_load(vars_text) if vars_text else None
    try:
        timings = build_on_spark(project_dir, dbt_vars)
    except SparkBuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    total = sum(timings.values())
    print(f"spark build: done in {total:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ")")
    return 0
