"""Command line entry point: ``cluster-marts <command>``.

Commands
--------
demo    write deterministic synthetic raw data (Parquet) with planted structure
report  write the report site (index, one page per domain, workbench pages) from the built marts
check   run the Great Expectations checkpoint on the built marts (read-only)
workbench-report  one HTML report with figures per workbench spec, from the marts
workbench-models  write (or --check) the dbt model of every workbench spec: its source in dbt's lineage
export  write the customer segment profiles of one axis as JSON + YAML for LLM analysis
customer  print one customer: current segments with names, thumbprint history and drift by axis over a date range
publish copy the marts of a clean dbt build into the serving warehouse BI reads (atomic swap)
build   build the whole project on a local SparkSession (--target spark), Python models included
track   log every fit (parameters, metrics, k-selection table and figure) to an MLflow tracking server

Each command lives in its own module; this file only parses arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

DEFAULT_DB = "target/cluster_marts.duckdb"
#: ``demo --scale`` choices (:data:`cluster_marts.demo.SCALES`; listed here so parsing imports nothing)
DEMO_SCALES: tuple[str, ...] = ("small", "medium", "large", "100k", "1m", "5m")


def _db_default() -> str:
    """Database path: ``CLUSTER_MARTS_DB`` if set, else the profile's default."""
    return os.environ.get("CLUSTER_MARTS_DB", DEFAULT_DB)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every sub-command."""
    parser = argparse.ArgumentParser(prog="cluster-marts", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="write synthetic raw data with planted structure")
    demo.add_argument("--scale", choices=DEMO_SCALES, default="small")
    demo.add_argument("--out", default="data/raw", help="output directory (default: data/raw)")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--if-absent", action="store_true",
                      help="do nothing when the output files already exist")
    demo.add_argument("--stores", type=int, default=0,
                      help="the customers' orders of this many shops (2..26; a store_id column, the last "
                           "store planted different); default one shop")

    report = sub.add_parser("report", help="the report site (static HTML + PNG) from the marts")
    report.add_argument("--db", default=_db_default())
    report.add_argument("--out", default="reports")
    report.add_argument("--specs", default="specs", help="folder of the workbench spec YAML files")

    check = sub.add_parser("check", help="Great Expectations checkpoint on the marts")
    check.add_argument("--db", default=_db_default())

    workbench = sub.add_parser("workbench-report", help="HTML report + figures per workbench spec")
    workbench.add_argument("--db", default=_db_default())
    workbench.add_argument("--out", default="reports/workbench")
    workbench.add_argument("--specs", default="specs", help="folder of the spec YAML files")

    models = sub.add_parser("workbench-models", help="one dbt Python model per workbench spec (its source as parent)")
    models.add_argument("--specs", default="specs", help="folder of the spec YAML files")
    models.add_argument("--out", default="python_models/workbench/fits", help="folder of the models")
    models.add_argument("--check", action="store_true", help="only say whether the models are up to date")


    export = sub.add_parser("export", help="customer segment profiles (JSON + YAML) for LLM analysis")
    export.add_argument("--db", default=_db_default())
    export.add_argument("--out", default="reports/profiles",
                        help="output directory (default: reports/profiles)")
    export.add_argument("--axis", default="engagement",
                        help="segmentation axis of customer_fit_metrics (default: engagement)")
    export.add_argument("--min-segment-size", type=int, default=5,
                        help="withhold min/max of segments smaller than this (default: 5)")

    customer = sub.add_parser("customer", help="one customer: segments now, thumbprint history, drift by axis")
    customer.add_argument("customer_id")
    customer.add_argument("--db", default=_db_default(), help="a built or the serving warehouse")
    customer.add_argument("--method", default="fcm", help="segmentation method of the segments (default: fcm)")
    customer.add_argument("--type", default=None, dest="snapshot_type",
                          help="snapshot type of the history (default: the build's primary type)")
    customer.add_argument("--from", dest="start", default=None, help="first snapshot date of the history")
    customer.add_argument("--to", dest="end", default=None, help="last snapshot date of the history")

    publish = sub.add_parser("publish", help="publish the marts of a clean dbt build to the serving warehouse")
    publish.add_argument("--db", default=_db_default(), help="build warehouse (default: CLUSTER_MARTS_DB)")
    publish.add_argument("--serving", default=os.environ.get("CLUSTER_MARTS_SERVING_DB", "target/serving.duckdb"),
                         help="serving warehouse BI reads (default: CLUSTER_MARTS_SERVING_DB or "
                              "target/serving.duckdb)")
    publish.add_argument("--target-dir", default=os.environ.get("DBT_TARGET_PATH", "target"),
                         help="dbt target folder with run_results.json (default: DBT_TARGET_PATH or target)")
    publish.add_argument("--parquet", default=os.environ.get("CLUSTER_MARTS_PARQUET_DIR") or None,
                         help="also export Parquet under this folder (default: CLUSTER_MARTS_PARQUET_DIR)")
    build = sub.add_parser("build", help="the whole project on a local SparkSession, in one process")
    build.add_argument("--target", choices=["spark"], required=True,
                       help="spark: dbt-spark session (install the spark extra); DuckDB builds with `make build`")
    build.add_argument("--vars", default=None, help="dbt vars as YAML / JSON, as for dbt --vars")

    track = sub.add_parser("track", help="log every fit of the marts to an MLflow tracking server")
    track.add_argument("--db", default=_db_default())
    track.add_argument("--uri", default=os.environ.get("CLUSTER_MARTS_TRACKING_URI") or None,
                       help="tracking URI (default: CLUSTER_MARTS_TRACKING_URI; none: nothing is logged)")
    track.add_argument("--experiment", default="cluster_marts")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the sub-command and return its exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from cluster_marts.demo import run_demo
        return run_demo(scale=args.scale, out=args.out, seed=args.seed, if_absent=args.if_absent,
                        stores=args.stores)
    if args.command == "report":
        from cluster_marts.reporting.site import run_site
        return run_site(db_path=args.db, out_dir=args.out, specs_dir=args.specs)
    if args.command == "check":
        from cluster_marts.quality import run_checks
        return run_checks(db_path=args.db)
    if args.command == "workbench-report":
        from cluster_marts.reporting.workbench import run_workbench_report
        return run_workbench_report(db_path=args.db, out_dir=args.out, specs_dir=args.specs)
    if args.command == "workbench-models":
        from cluster_marts.adapters.workbench.dbt_models import main as write_models
        return write_models(["--specs", args.specs, "--out", args.out, *(["--check"] if args.check else [])])
    if args.command == "export":
        from cluster_marts.reporting.export import run_export
        return run_export(db_path=args.db, out_dir=args.out, axis=args.axis,
                          min_segment_size=args.min_segment_size)
    if args.command == "customer":
        from cluster_marts.reporting.customer_card import run_customer
        return run_customer(args.db, args.customer_id, method=args.method, snapshot_type=args.snapshot_type,
                            start=args.start, end=args.end)
    if args.command == "publish":
        from cluster_marts.publish import run_publish
        return run_publish(build_db=args.db, serving=args.serving, target_dir=args.target_dir,
                           parquet_dir=args.parquet)
    if args.command == "build":
        from cluster_marts.spark.cli import run_spark_build
        return run_spark_build(vars_text=args.vars)
    if args.command == "track":
        from cluster_marts.reporting.tracking import run_track
        return run_track(db_path=args.db, uri=args.uri, experiment=args.experiment)
    return 2  # pragma: no cover - argparse enforces the choices


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
