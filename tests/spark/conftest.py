"""The Spark suite: a local SparkSession (local[2]) shared by the tests of one run, its warehouse and
metastore in a temporary folder (``CLUSTER_MARTS_SPARK_DIR``, which the ``spark`` target of profiles.yml reads,
so the Spark build of the parity tests runs in this same session). Needs the spark extra and Java 17
(``make test-spark``)."""

from __future__ import annotations

import os
import sys

import pytest

pyspark = pytest.importorskip("pyspark", reason="the Spark suite needs the spark extra: pip install -e '.[spark]'")


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors run this interpreter (and its packages)
    folder = tmp_path_factory.mktemp("spark")
    os.environ["CLUSTER_MARTS_SPARK_DIR"] = str(folder)
    session = (SparkSession.builder.enableHiveSupport().master("local[2]").appName("cluster_marts tests")
               .config("spark.sql.warehouse.dir", str(folder / "warehouse"))
               .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={folder / 'metastore'}")
               .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
