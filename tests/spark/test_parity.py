"""Parity of the Spark build with DuckDB, on the small demo.

The whole project is built on a local SparkSession (``cluster-marts build --target spark``: every SQL model
through dbt-spark, the Python models through the build's runner) from the same raw files as the
`make dbt-test` warehouse (``CLUSTER_MARTS_DB``), and compared with it: every mart has the same number of
rows, every feature mart is equal row for row (numbers within 1e-9 relative), every quarantine reason
counts the same, every provider and DFU gets the same k-means cluster and run id, and every customer the
same FCM and GMM segment on one axis (fitted on the same seeded sample by the engine on a Spark DataFrame,
scored on the executors).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURE_MARTS = {"provider_features": "provider_id", "dfu_features": "dfu_id", "customer_features": "customer_id"}
QUARANTINES = ("stg_customer_orders_quarantine", "stg_ai_models_quarantine", "stg_sales_monthly_quarantine",
               "provider_features_quarantine", "dfu_features_quarantine", "customer_features_quarantine")
FITS = {"int_provider_clusters": ("provider_id", "cluster_id"), "int_dfu_clusters": ("dfu_id", "cluster_id")}
SCHEMA = "cluster_marts"


@pytest.fixture(scope="module")
def duck():
    path = ROOT / os.environ.get("CLUSTER_MARTS_DB", "target/test.duckdb")
    if not path.is_file():
        pytest.fail(f"no DuckDB warehouse at {path}: run `make dbt-test` first (the parity suite compares with it)")
    con = duckdb.connect(str(path), read_only=True)
    yield lambda sql: con.execute(sql).df()
    con.close()


@pytest.fixture(scope="module")
def built(spark):
    from cluster_marts.spark.build import build_on_spark

    timings = build_on_spark(ROOT, log=lambda _: None)
    print(f"spark build: {sum(timings.values()):.0f} s")
    return timings


def _spark(spark, table: str) -> pd.DataFrame:
    return spark.table(f"{SCHEMA}.{table}").toPandas()


@pytest.mark.parametrize("mart", list(FEATURE_MARTS))
def test_feature_marts_are_equal(built, spark, duck, mart):
    key = FEATURE_MARTS[mart]
    left = duck(f"select * from {mart}").sort_values(key).reset_index(drop=True)
    right = _spark(spark, mart).sort_values(key).reset_index(drop=True)
    assert sorted(right.columns) == sorted(left.columns)
    assert len(left) > 0 and right[key].astype(str).tolist() == left[key].astype(str).tolist()
    for column in left.columns:
        a, b = left[column], right[column]
        if pd.api.types.is_numeric_dtype(a) and not pd.api.types.is_bool_dtype(a):
            a, b = a.astype(float).to_numpy(), b.astype(float).to_numpy()
            assert (np.isnan(a) == np.isnan(b)).all(), f"{mart}.{column}: nulls differ"
            ok = ~np.isnan(a)
            scale = np.maximum(np.abs(a[ok]), 1e-300)
            assert ((np.abs(a[ok] - b[ok]) / scale <= 1e-9) | (np.abs(a[ok] - b[ok]) <= 1e-12)).all(), \
                f"{mart}.{column}: max relative difference {np.max(np.abs(a[ok] - b[ok]) / scale):.3g}"
        elif pd.api.types.is_datetime64_any_dtype(a):
            assert (pd.to_datetime(a).dt.tz_localize(None) == pd.to_datetime(b).dt.tz_localize(None)).all(), column
        else:
            assert a.astype(str).tolist() == b.astype(str).tolist(), f"{mart}.{column} differs"


@pytest.mark.parametrize("table", QUARANTINES)
def test_every_quarantine_reason_counts_the_same(built, spark, duck, table):
    sql = "select quarantine_reason, count(*) as n from {} group by 1 order by 1"
    left = duck(sql.format(table))
    right = spark.sql(sql.format(f"{SCHEMA}.{table}")).toPandas()
    assert left["quarantine_reason"].tolist() == right["quarantine_reason"].tolist()
    assert left["n"].tolist() == right["n"].astype(int).tolist()


@pytest.mark.parametrize("table", list(FITS))
def test_kmeans_clusters_are_identical(built, spark, duck, table):
    key, cluster = FITS[table]
    left = duck(f"select {key}, {cluster}, run_id from {table} order by 1")
    right = _spark(spark, table)[[key, cluster, "run_id"]].sort_values(key).reset_index(drop=True)
    assert len(left) > 10
    assert right[key].astype(str).tolist() == left[key].astype(str).tolist()
    assert right[cluster].astype(int).tolist() == left[cluster].astype(int).tolist()
    assert set(right["run_id"]) == set(left["run_id"])  # the same data and settings: the same run


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_customer_segments_are_identical(built, spark, duck, method):
    from benchmarks.spark_scoring import segmentation_meta
    from cluster_marts.config.segmentation import segmentation_settings_from_meta
    from cluster_marts.spark.scoring import fit_axis_on_spark, score_on_spark

    settings = segmentation_settings_from_meta(segmentation_meta(ROOT / "python_models/customers/"
                                                                 "_customers__models.yml"), model="parity")
    frame = spark.table(f"{SCHEMA}.customer_features")
    _, scorer = fit_axis_on_spark(frame, "customer_id", settings, "engagement", method)
    scored = score_on_spark(frame, scorer, "customer_id").toPandas().sort_values("id").reset_index(drop=True)
    left = duck(f"select customer_id, segment_id from customer_segments where axis = 'engagement' "
                f"and method = '{method}' order by 1")
    assert scored["id"].tolist() == left["customer_id"].tolist()
    assert (scored["segment_id"].to_numpy() == left["segment_id"].to_numpy()).all()


def _marts() -> list[str]:
    """Every table model under models/marts (views and ephemeral models are not stored)."""
    import json

    manifest = json.loads((ROOT / "target" / "manifest.json").read_text())
    return sorted(node["name"] for node in manifest["nodes"].values()
                  if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/")
                  and node["config"]["materialized"] in ("table", "incremental"))


#: histories kept across builds (incremental): compared on what this build wrote
HISTORIES = {"clustering_runs": "select domain, coalesce(scope, '') as scope, run_id from {}",
             "cluster_lineage": "select domain, scope, method, run_id, cluster_id, name from {} where event = 'reset'",
             "customer_membership_snapshots": "select snapshot_type, snapshot_date, count(*) as n from {} "
                                              "group by 1, 2"}


def test_every_mart_is_built_with_as_many_rows_as_on_duckdb(built, spark, duck):
    marts = _marts()
    assert len(marts) > 30 and set(HISTORIES) <= set(marts)
    for mart in sorted(set(marts) - set(HISTORIES)):
        left = int(duck(f"select count(*) as n from {mart}")["n"].iloc[0])
        right = spark.table(f"{SCHEMA}.{mart}").count()
        assert right == left, f"{mart}: {right} rows on Spark, {left} on DuckDB"


def test_the_histories_hold_what_this_build_wrote(built, spark, duck):
    runs = HISTORIES["clustering_runs"]
    spark_runs = spark.sql(runs.format(f"{SCHEMA}.clustering_runs")).toPandas()
    on_spark = {tuple(r) for r in spark_runs.itertuples(index=False)}
    on_duckdb = {tuple(r) for r in duck(runs.format("clustering_runs")).itertuples(index=False)}
    assert len(on_spark) >= 17 and on_spark <= on_duckdb  # the same fits (7 customer axes x 2 methods + others)
    lineage = HISTORIES["cluster_lineage"]
    spark_ids = {tuple(r) for r in spark.sql(lineage.format(f"{SCHEMA}.cluster_lineage")).toPandas().itertuples(
        index=False)}
    duck_ids = {tuple(r) for r in duck(lineage.format("cluster_lineage")).itertuples(index=False)}
    assert len(spark_ids) >= 10 and spark_ids <= duck_ids  # the same clusters, ids and names on a first build
    dates = HISTORIES["customer_membership_snapshots"]
    spark_counts = spark.sql(dates.format(f"{SCHEMA}.customer_membership_snapshots")).toPandas()
    duck_counts = duck(dates.format("customer_membership_snapshots"))
    for counts in (spark_counts, duck_counts):
        counts["snapshot_date"] = pd.to_datetime(counts["snapshot_date"]).dt.date
    merged = spark_counts.merge(duck_counts, on=["snapshot_type", "snapshot_date"], suffixes=("_spark", "_duckdb"))
    assert len(merged) == len(spark_counts) > 5
    assert (merged["n_spark"].astype(int) == merged["n_duckdb"].astype(int)).all()
    # every snapshot has the same id and data version: the same orders and the same reference runs
    versions = "select snapshot_id, data_version from {}"
    spark_versions = set(spark.sql(versions.format(f"{SCHEMA}.customer_snapshot_catalog")).toPandas().itertuples(
        index=False, name=None))
    assert spark_versions and spark_versions <= set(duck(versions.format("customer_snapshot_catalog")).itertuples(
        index=False, name=None))
