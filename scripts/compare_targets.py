"""Compare the staging and feature tables of the DuckDB target with the Spark target.

Reads each table from the DuckDB file (CLUSTER_MARTS_DB, read only) and from the
Spark warehouse (CLUSTER_MARTS_SPARK_DIR: the warehouse and Derby metastore that
profiles.yml gives the `spark` target), and reports per table: the row counts,
whether the key sets are equal, the largest relative difference of the numeric
columns, the rows whose other values differ, and whether the quarantine reason
counts are equal.

Run it with the Python that has pyspark (the Spark target's environment), while
no dbt command uses the Spark directory (one Derby metastore, one process):

    CLUSTER_MARTS_DB=target/dev.duckdb CLUSTER_MARTS_SPARK_DIR=target/spark \
        /tmp/sv/bin/python scripts/compare_targets.py [--tolerance 1e-9] [table ...]

Exit status 1 when a table differs beyond the tolerance. Column types that
differ are listed, not failed (e.g. DuckDB bigint where Spark has int).
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import os
import sys
import time
from dataclasses import dataclass, field

# (table, key columns); the key identifies a row on both targets
TABLES: dict[str, tuple[str, ...]] = {
    # staging
    "stg_ai_models": ("model_id",),
    "stg_ai_models_quarantine": (),
    "stg_customer_orders": ("order_id",),
    "stg_customer_orders_quarantine": (),
    "stg_sales_monthly": ("dfu_id", "sales_month"),
    "stg_sales_monthly_quarantine": (),
    "stg_items": ("item_id",),
    "stg_dfus": ("dfu_id",),
    # providers
    "int_providers_named": ("provider_id",),
    "int_ai_models_regioned": ("model_id",),
    "int_provider_features_checked": ("provider_id",),
    "provider_features": ("provider_id",),
    "provider_features_quarantine": ("provider_id",),
    # demand
    "int_dfu_demand_window": ("dfu_id", "sales_month"),
    "int_dfus_checked": ("dfu_id",),
    "int_dfu_series_features": ("dfu_id",),
    "dfu_features": ("dfu_id",),
    "dfu_features_quarantine": ("dfu_id",),
    # customers
    "int_customers_checked": ("customer_id",),
    "customer_features": ("customer_id",),
    "customer_features_quarantine": ("customer_id",),
    "int_customer_snapshot_dates": ("snapshot_date",),
    "int_customer_snapshot_features": ("customer_id", "snapshot_date", "snapshot_type"),
    "int_customer_reference_features": ("customer_id", "reference_date"),
    "int_customer_lapse_outcomes": ("customer_id", "snapshot_type", "snapshot_date"),
}


@dataclass
class Comparison:
    table: str
    duckdb_rows: int = 0
    spark_rows: int = 0
    keys_equal: bool | None = None
    columns_only_in: dict[str, list[str]] = field(default_factory=dict)
    max_relative_difference: float = 0.0
    worst_column: str | None = None
    null_mismatches: dict[str, int] = field(default_factory=dict)
    value_mismatches: dict[str, int] = field(default_factory=dict)
    reasons_equal: bool | None = None
    reasons: dict[str, tuple[int, int]] = field(default_factory=dict)
    type_differences: dict[str, tuple[str, str]] = field(default_factory=dict)
    error: str | None = None

    def passed(self, tolerance: float) -> bool:
        return (
            self.error is None
            and self.duckdb_rows == self.spark_rows
            and self.keys_equal is not False
            and not self.columns_only_in
            and self.max_relative_difference <= tolerance
            and not self.null_mismatches
            and not self.value_mismatches
            and self.reasons_equal is not False
        )


def normalise(value):
    """One Python value per SQL value, whichever engine returned it."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return normalise(value.tolist())
    if isinstance(value, (list, tuple)):
        return tuple(normalise(item) for item in value)
    return value


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def relative_difference(a: float, b: float) -> float:
    if a == b:
        return 0.0
    if math.isinf(a) or math.isinf(b):
        return math.inf
    return abs(a - b) / max(abs(a), abs(b))


# DuckDB type names as Spark spells them (the rest are compared lower-cased)
DUCKDB_TYPES = {"varchar": "string", "integer": "int", "timestamp": "timestamp", "boolean": "boolean"}


def read_duckdb(connection, table: str) -> tuple[list[str], list[tuple], dict[str, str]]:
    types = {
        name: DUCKDB_TYPES.get(kind.lower(), kind.lower().replace(" ", ""))
        for name, kind, *_ in connection.execute(f"describe {table}").fetchall()
    }
    result = connection.execute(f"select * from {table}")
    columns = [column[0] for column in result.description]
    return columns, [tuple(normalise(value) for value in row) for row in result.fetchall()], types


def read_spark(spark, schema: str, table: str) -> tuple[list[str], list[tuple], dict[str, str]]:
    frame = spark.table(f"{schema}.{table}")
    rows = [tuple(normalise(value) for value in row) for row in frame.collect()]
    return frame.columns, rows, dict(frame.dtypes)


def compare(table: str, keys: tuple[str, ...], duck: tuple, spark: tuple) -> Comparison:
    (duck_columns, duck_rows, duck_types), (spark_columns, spark_rows, spark_types) = duck, spark
    result = Comparison(table, len(duck_rows), len(spark_rows))
    result.type_differences = {
        c: (duck_types[c], spark_types[c]) for c in duck_columns if c in spark_types and duck_types[c] != spark_types[c]
    }
    only_duck = [c for c in duck_columns if c not in spark_columns]
    only_spark = [c for c in spark_columns if c not in duck_columns]
    if only_duck:
        result.columns_only_in["duckdb"] = only_duck
    if only_spark:
        result.columns_only_in["spark"] = only_spark
    columns = [c for c in duck_columns if c in spark_columns]

    if "quarantine_reason" in columns:
        counts: dict[str, list[int]] = {}
        for rows, side, names in ((duck_rows, 0, duck_columns), (spark_rows, 1, spark_columns)):
            position = names.index("quarantine_reason")
            for row in rows:
                reason = str(row[position])
                counts.setdefault(reason, [0, 0])[side] += 1
        result.reasons = {reason: (n[0], n[1]) for reason, n in sorted(counts.items())}
        result.reasons_equal = all(n[0] == n[1] for n in counts.values())

    if not keys:
        return result

    def by_key(rows, names):
        positions = [names.index(k) for k in keys]
        value_positions = [names.index(c) for c in columns]
        return {tuple(row[p] for p in positions): tuple(row[p] for p in value_positions) for row in rows}

    duck_keyed = by_key(duck_rows, duck_columns)
    spark_keyed = by_key(spark_rows, spark_columns)
    result.keys_equal = duck_keyed.keys() == spark_keyed.keys() and len(duck_keyed) == len(duck_rows)
    for key in duck_keyed.keys() & spark_keyed.keys():
        for column, a, b in zip(columns, duck_keyed[key], spark_keyed[key]):
            if a is None or b is None:
                if (a is None) != (b is None):
                    result.null_mismatches[column] = result.null_mismatches.get(column, 0) + 1
            elif is_number(a) and is_number(b):
                difference = relative_difference(float(a), float(b))
                if difference > result.max_relative_difference:
                    result.max_relative_difference, result.worst_column = difference, column
            elif a != b:
                result.value_mismatches[column] = result.value_mismatches.get(column, 0) + 1
    return result


def spark_session(spark_dir: str):
    from pyspark.sql import SparkSession

    spark_dir = os.path.abspath(spark_dir)
    return (
        SparkSession.builder.master("local[2]")
        .appName("compare_targets")
        .enableHiveSupport()
        .config("spark.sql.warehouse.dir", f"{spark_dir}/warehouse")
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}/metastore")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def report(results: list[Comparison], tolerance: float) -> str:
    lines = [
        f"{'table':<34} {'rows duckdb':>11} {'rows spark':>10} {'keys':>5} {'max rel diff':>12}  "
        f"{'reasons':>7}  result",
    ]
    for r in results:
        if r.error:
            lines.append(f"{r.table:<34} ERROR {r.error}")
            continue
        keys = "-" if r.keys_equal is None else ("equal" if r.keys_equal else "DIFF")
        reasons = "-" if r.reasons_equal is None else ("equal" if r.reasons_equal else "DIFF")
        lines.append(
            f"{r.table:<34} {r.duckdb_rows:>11} {r.spark_rows:>10} {keys:>5} {r.max_relative_difference:>12.3g}  "
            f"{reasons:>7}  {'ok' if r.passed(tolerance) else 'DIFFERS'}"
        )
        details = []
        if r.worst_column and r.max_relative_difference > 0:
            details.append(f"largest numeric difference in {r.worst_column}")
        if r.columns_only_in:
            details.append(f"columns only in {r.columns_only_in}")
        if r.null_mismatches:
            details.append(f"null on one side only: {r.null_mismatches}")
        if r.value_mismatches:
            details.append(f"other values differ: {r.value_mismatches}")
        if r.reasons and not r.reasons_equal:
            details.append(f"reason counts (duckdb, spark): {r.reasons}")
        if r.type_differences:
            details.append(f"types differ (duckdb, spark; not a failure): {r.type_differences}")
        lines.extend(f"{'':<36}{detail}" for detail in details)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tables", nargs="*", help="tables to compare (default: every staging and feature table)")
    parser.add_argument("--duckdb", default=os.environ.get("CLUSTER_MARTS_DB", "target/cluster_marts.duckdb"))
    parser.add_argument("--spark-dir", default=os.environ.get("CLUSTER_MARTS_SPARK_DIR", "target/spark"))
    parser.add_argument("--spark-schema", default="cluster_marts")
    parser.add_argument("--tolerance", type=float, default=1e-9, help="largest relative difference accepted")
    args = parser.parse_args(argv)

    # timestamps come back as naive datetimes of the process's time zone: UTC on both sides
    os.environ["TZ"] = "UTC"
    time.tzset()
    import duckdb

    unknown = [t for t in args.tables if t not in TABLES]
    if unknown:
        parser.error(f"unknown tables {unknown}; known: {', '.join(TABLES)}")
    tables = args.tables or list(TABLES)

    connection = duckdb.connect(args.duckdb, read_only=True)
    spark = spark_session(args.spark_dir)
    spark.sparkContext.setLogLevel("ERROR")
    results = []
    try:
        for table in tables:
            try:
                results.append(
                    compare(
                        table,
                        TABLES[table],
                        read_duckdb(connection, table),
                        read_spark(spark, args.spark_schema, table),
                    )
                )
            except Exception as error:  # a missing table is reported, not fatal
                results.append(Comparison(table, error=str(error).splitlines()[0][:200]))
    finally:
        spark.stop()
        connection.close()
    print(report(results, args.tolerance))
    return 0 if all(r.passed(args.tolerance) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
