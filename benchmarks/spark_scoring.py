"""``python -m benchmarks.spark_scoring`` (``make bench-spark``): scoring every customer, DuckDB path vs Spark path.

The customers' features (``customer_features``, e.g. 1,000,000 rows from ``make bench SCALE=1m``: read from
``--features`` (Parquet) or exported from the bench warehouse ``bench_results/bench.duckdb``) are clustered on
one axis (default ``engagement``, method ``fcm``, the settings of ``int_customer_segmentation`` with the vars'
defaults) and every customer is scored twice:

- **DuckDB path**: the rows read in-process through Arrow (as a dbt Python model on DuckDB reads its ref),
  the fit on the seeded sample, then ``predict_memberships`` of every row on the driver;
- **Spark path** (``local[2]``): the same fit (:func:`cluster_marts.spark.scoring.fit_axis_on_spark`), then
  every row scored on the executors (:func:`cluster_marts.spark.scoring.score_on_spark`), the result
  written to Parquet.

Prints the stage times, the ratio, and whether the two paths give every customer the same segment.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

__all__ = ["main", "segmentation_meta"]

MODELS_YAML = Path("python_models/customers/_customers__models.yml")


def segmentation_meta(path: Path = MODELS_YAML) -> dict:
    """``config.meta`` of ``int_customer_segmentation`` with every ``{{ var('name', default) }}`` at its default."""
    models = {m["name"]: m for m in yaml.safe_load(path.read_text())["models"]}
    meta = models["int_customer_segmentation"]["config"]["meta"]
    pattern = re.compile(r"\{\{\s*var\('[^']+',\s*([^)]+)\)\s*\}\}")
    return {key: (yaml.safe_load(pattern.sub(r"\1", value)) if isinstance(value, str) and pattern.search(value)
                  else value) for key, value in meta.items()}


def _features(args: argparse.Namespace, scratch: Path) -> Path:
    if args.features:
        return Path(args.features)
    warehouse = Path(args.warehouse)
    if not warehouse.is_file():
        raise SystemExit(f"no --features file and no bench warehouse at {warehouse}: run `make bench SCALE=1m` first "
                         "(or pass --features a customer_features Parquet file)")
    out = scratch / "customer_features.parquet"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"copy (select * from customer_features) to '{out}' (format parquet)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.spark_scoring", description=__doc__.splitlines()[0])
    parser.add_argument("--features", default=None, help="customer_features as Parquet")
    parser.add_argument("--warehouse", default="bench_results/bench.duckdb")
    parser.add_argument("--axis", default="engagement")
    parser.add_argument("--method", default="fcm")
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession

    from cluster_marts.adapters.customers.core import fit_axis
    from cluster_marts.config.segmentation import segmentation_settings_from_meta
    from cluster_marts.preprocessing.scaling import transform
    from cluster_marts.spark.scoring import fit_axis_on_spark, score_on_spark

    settings = segmentation_settings_from_meta(segmentation_meta(), model="int_customer_segmentation")
    features = settings.features_of(args.axis)
    with tempfile.TemporaryDirectory() as scratch:
        path = _features(args, Path(scratch))
        started = time.perf_counter()
        with duckdb.connect() as con:
            local = con.execute(f"select customer_id, {', '.join(features)} from read_parquet('{path}') "
                                "order by customer_id").to_arrow_table().to_pandas()
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        fit = fit_axis(local[list(features)].to_numpy(dtype=np.float64), settings, args.axis, args.method,
                       "bench", features)
        fit_s = time.perf_counter() - started
        started = time.perf_counter()
        memberships = fit.estimator.predict_memberships(transform(local[list(features)].to_numpy(np.float64),
                                                                  fit.scaler))[:, fit.order]
        duck_labels = memberships.argmax(axis=1)
        duck_score_s = time.perf_counter() - started

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        started = time.perf_counter()
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
        spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false")
                 .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                 .config("spark.driver.memory", "6g").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        start_s = time.perf_counter() - started
        frame = spark.read.parquet(str(path))
        started = time.perf_counter()
        _, scorer = fit_axis_on_spark(frame, "customer_id", settings, args.axis, args.method, "bench")
        spark_fit_s = time.perf_counter() - started
        started = time.perf_counter()
        out = Path(scratch) / "scored"
        score_on_spark(frame, scorer, "customer_id").select("id", "segment_id").write.parquet(str(out))
        spark_score_s = time.perf_counter() - started
        scored = pd.read_parquet(out).set_index("id").loc[local["customer_id"].astype(str), "segment_id"]
        same = bool((scored.to_numpy() == duck_labels).all())
        spark.stop()
    n = len(local)
    rows = [("read the axis features", read_s, None), ("fit (driver, seeded sample)", fit_s, spark_fit_s),
            ("score every customer", duck_score_s, spark_score_s)]
    print(f"{n:,} customers, axis {args.axis} ({', '.join(features)}), {args.method}, k = {fit.memberships.shape[1]}, "
          f"fit on {fit.sample.size:,} rows; Spark local[2] started in {start_s:.1f} s")
    print(f"{'stage':32s} {'DuckDB path':>12s} {'Spark path':>12s} {'Spark / DuckDB':>15s}")
    for stage, duck, spark_s in rows:
        ratio = f"{spark_s / duck:.2f}" if spark_s is not None and duck > 0 else "-"
        spark_text = f"{spark_s:.2f} s" if spark_s is not None else "-"
        print(f"{stage:32s} {duck:>10.2f} s {spark_text:>12s} {ratio:>15s}")
    print(f"score rate: DuckDB path {n / duck_score_s:,.0f} rows/s, Spark path {n / spark_score_s:,.0f} rows/s; "
          f"same segment for every customer: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
