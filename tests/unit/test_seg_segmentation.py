"""int_customer_segmentation: one fit, one long table, split back by the SQL models; no state between calls."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from long_table_sql import split_models
from sklearn.datasets import make_blobs

from cluster_marts.adapters.customers import (
    RECORD_TYPES,
    segment_all,
    segment_assignments,
    segment_fit_metrics,
    segment_k_selection,
    segment_memberships,
    segmentation_table,
)
from cluster_marts.adapters.long_table import RECORD_TYPE, record_rows

MODEL = "int_customer_segmentation"
N = 150
_X, _ = make_blobs(n_samples=N, centers=[[0, 0], [6, 0], [0, 6]], cluster_std=0.7, random_state=4)
FEATURES = pd.DataFrame({
    "customer_id": pd.Series([f"c{i:04d}" for i in np.random.default_rng(5).permutation(N)], dtype="str"),
    "x": _X[:, 0], "y": _X[:, 1], "r": np.random.default_rng(6).gamma(1.0, 0.1, size=N),
})
META = {"id_column": "customer_id", "axes": {"shape": ["x", "y"], "returns": ["r"]},
        "methods": ["fcm", "gmm", "neural"], "k_max": 4, "neural": {"epochs": 30, "hidden_units": 8},
        "subdivision": {"min_size": 40}, "random_state": 42}
# the SQL view of each record type (python_models/customers/int_customer_<table>.sql)
VIEWS = {"k_selection": "int_customer_k_selection", "membership": "int_customer_memberships",
         "assignment": "int_customer_assignments", "fit_metrics": "int_customer_fit_metrics"}


@pytest.fixture(scope="module")
def long() -> pd.DataFrame:
    return segmentation_table(FEATURES, META, model=MODEL)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """The four tables built from a separate fit of the same rows: what the four models used to return."""
    fit = segment_all(FEATURES, META, model=MODEL)
    return {"k_selection": segment_k_selection(fit), "membership": segment_memberships(fit),
            "assignment": segment_assignments(fit), "fit_metrics": segment_fit_metrics(fit)}


def test_record_types_in_order_and_counts(long):
    assert list(RECORD_TYPES) == list(VIEWS)
    assert long.columns[0] == RECORD_TYPE
    counts = long[RECORD_TYPE].value_counts(sort=False)
    assert counts.index.tolist() == list(VIEWS)
    n_fits, k_grid = 2 * 3, 3  # 2 axes x 3 methods; k = 2..4
    assert counts["k_selection"] == n_fits * k_grid
    assert counts["assignment"] == N * n_fits
    assert counts["fit_metrics"] == n_fits
    fm = long[long[RECORD_TYPE] == "fit_metrics"]
    assert counts["membership"] == N * int(fm["k"].sum())  # one row per customer and top-level segment


def test_the_long_table_splits_back_into_the_four_tables(long, tables):
    for record_type, table in tables.items():
        rows = record_rows(long, record_type, list(table.columns))
        pd.testing.assert_frame_equal(rows.astype(table.dtypes), table)
        others = [c for c in long.columns if c not in table.columns and c != RECORD_TYPE]
        assert long.loc[long[RECORD_TYPE] == record_type, others].isna().all().all(), record_type
    assert len(long) == sum(len(t) for t in tables.values())
    # one run id per (axis, method), the same in all four tables
    ids = long.groupby(["axis", "method"])["run_id"].nunique()
    assert len(ids) == 6 and ids.eq(1).all()


def test_warehouse_types(long):
    dtypes = long.dtypes.astype(str)
    assert dtypes["k"] == "Int64" and dtypes["is_chosen"] == "boolean" and dtypes["converged"] == "boolean"
    assert dtypes["membership"] == "float64" and dtypes["customer_id"] == "str" and dtypes["segment_id"] == "Int64"
    assert not (long.dtypes == object).any()


def test_the_sql_views_select_each_table_with_its_columns(tables):
    views = split_models("python_models/customers")
    assert set(views) == set(VIEWS.values())
    for record_type, view in VIEWS.items():
        long_table, selected_type, columns = views[view]
        assert (long_table, selected_type) == (MODEL, record_type)
        assert columns == list(tables[record_type].columns), view


_SCRIPT = """
import json, sys
import pandas as pd
from cluster_marts.adapters.customers import segmentation_table
features = pd.read_parquet(sys.argv[1])
segmentation_table(features, json.loads(sys.argv[2]), model="int_customer_segmentation").to_parquet(sys.argv[3])
"""


def test_two_fresh_processes_give_identical_tables(long, tmp_path):
    """Determinism without any cache: each process fits from scratch."""
    source = tmp_path / "features.parquet"
    FEATURES.to_parquet(source)
    outputs = []
    for i in range(2):
        out = tmp_path / f"long_{i}.parquet"
        done = subprocess.run([sys.executable, "-c", _SCRIPT, str(source), json.dumps(META), str(out)],
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(pd.read_parquet(out))
    pd.testing.assert_frame_equal(outputs[0], outputs[1])
    long.to_parquet(tmp_path / "in_process.parquet")
    pd.testing.assert_frame_equal(outputs[0], pd.read_parquet(tmp_path / "in_process.parquet"))
