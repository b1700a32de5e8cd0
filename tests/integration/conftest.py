"""Fixtures for the integration suite.

These tests read the warehouse that `make dbt-test` built (CLUSTER_MARTS_DB,
default target/test.duckdb) from the demo data in CLUSTER_MARTS_RAW (default
data/raw). Tests that need a different build copy the warehouse (and, when
they edit seeds, the project) into a temporary directory first, so the shared
warehouse is never modified.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"


#: test files that build warehouses of their own, the slowest first: the suite gives each worker a whole file
#: (``make integration``: pytest-xdist, ``--dist loadfile``), in collection order, so these start first and no
#: long file is left alone at the end
SLOW_FIRST = ("test_demand_rebuilds.py", "test_kept_ids_builds.py", "test_names_second_generator.py",
              "test_publish.py", "test_bad_inputs.py", "test_stores.py", "test_young_histories.py",
              "test_own_data_command.py", "test_fresh_builds.py", "test_snapshot_types.py",
              "test_snapshot_rebuilds.py", "test_bounded_memory.py", "test_second_seed.py", "test_rebuilds.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Collect :data:`SLOW_FIRST` first (a stable sort: each file keeps its tests' order)."""
    rank = {name: position for position, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FIRST)))


def _db_path() -> Path:
    return PROJECT_ROOT / os.environ.get("CLUSTER_MARTS_DB", "target/test.duckdb")


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """Directory of the demo raw files the warehouse was built from."""
    path = PROJECT_ROOT / os.environ.get("CLUSTER_MARTS_RAW", "data/raw")
    if not (path / "ai_models.parquet").exists():
        pytest.fail(f"no demo data in {path}: run `make dbt-test` (or `make test`) first")
    return path


@pytest.fixture(scope="session")
def db_path() -> Path:
    """The built warehouse file."""
    path = _db_path()
    if not path.exists():
        pytest.fail(f"no warehouse at {path}: run `make dbt-test` (or `make test`) first")
    return path


@pytest.fixture(scope="session")
def query(db_path):
    """Run a SQL query against the built warehouse (read-only) -> DataFrame."""
    con = duckdb.connect(str(db_path), read_only=True)

    def run(sql: str) -> pd.DataFrame:
        return con.sql(sql).df()

    yield run
    con.close()


def run_dbt(args: list[str], *, db: Path, project_dir: Path, raw: Path, tmp: Path,
            vars_extra: str = "", dbt_vars: Mapping[str, Any] | None = None) -> subprocess.CompletedProcess:
    """Run dbt against a given warehouse copy; never touches target/ of the repo.

    The raw paths point at ``raw``; ``dbt_vars`` adds or overrides vars (any value JSON can write),
    ``vars_extra`` is appended as YAML text (``", name: value"``). dbt's artefacts (run_results.json,
    manifest.json) go to ``tmp / "dbt_target"``, its logs to ``tmp / "dbt_logs"`` and DuckDB's spill files to
    ``tmp / "duckdb_spill"``: nothing is shared with a build running beside it.
    """
    paths = {"ai_models_path": "ai_models.parquet", "sales_monthly_path": "fact_sales_monthly.parquet",
             "dim_item_path": "dim_item.parquet", "dim_dfu_path": "dim_dfu.parquet",
             "customer_orders_path": "customer_orders.parquet"}
    merged = {var: str(raw / name) for var, name in paths.items()} | dict(dbt_vars or {})
    rendered = json.dumps(merged)[:-1] + vars_extra + "}"  # JSON is YAML: the appended text stays in the mapping
    # the suite runs on several workers: each build spills into its own folder
    env = {**os.environ, "CLUSTER_MARTS_DB": str(db), "DBT_PROFILES_DIR": str(PROJECT_ROOT),
           "CLUSTER_MARTS_TEMP_DIR": str(tmp / "duckdb_spill"),
           "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    cmd = [str(DBT), *args, "--project-dir", str(project_dir), "--target-path",
           str(tmp / "dbt_target"), "--log-path", str(tmp / "dbt_logs"), "--vars", rendered]
    return subprocess.run(cmd, cwd=project_dir, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture()
def warehouse_copy(db_path, tmp_path) -> Path:
    """A private copy of the built warehouse for tests that rebuild models."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(db_path, copy)
    return copy


@pytest.fixture()
def project_copy(tmp_path) -> Path:
    """A private copy of the dbt project (models, seeds, macros, config)."""
    return copy_project(tmp_path / "project")


def copy_project(dest: Path) -> Path:
    """Copy the dbt project (models, seeds, macros, config; no target/) into a new directory `dest`."""
    dest.mkdir()
    for name in ["dbt_project.yml", "profiles.yml", "selectors.yml"]:
        shutil.copy(PROJECT_ROOT / name, dest / name)
    for name in ["models", "python_models", "seeds", "macros", "analyses", "tests"]:
        if (PROJECT_ROOT / name).exists():
            shutil.copytree(PROJECT_ROOT / name, dest / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest
