"""int_customer_segmentation: one fit, one long table, split back by the SQL models; no state between calls."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
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
from cluster_marts.adapters.customers.lineage import segment_memory
from cluster_marts.adapters.customers.pipeline import segment_centres
from cluster_marts.adapters.long_table import RECORD, RECORD_TYPE, packed_rows, record_rows
from cluster_marts.adapters.memory import FIT_KEY

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
# the SQL view of each table: (view, record type the view reads)
VIEWS = {"k_selection": ("int_customer_k_selection", "k_selection:packed"),
         "membership": ("int_customer_memberships", "assignment"),
         "assignment": ("int_customer_assignments", "assignment"),
         "fit_metrics": ("int_customer_fit_metrics", "fit_metrics:packed")}


@pytest.fixture(scope="module")
def arrow() -> pa.Table:
    return segmentation_table(FEATURES, META, model=MODEL)


@pytest.fixture(scope="module")
def long(arrow) -> pd.DataFrame:
    return arrow.to_pandas()


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """The tables built from a separate fit of the same rows."""
    fit = segment_all(FEATURES, META, model=MODEL)
    return {"k_selection": segment_k_selection(fit), "membership": segment_memberships(fit),
            "assignment": segment_assignments(fit), "fit_metrics": segment_fit_metrics(fit),
            "cluster_memory": segment_memory(fit), "segment_centre": segment_centres(fit)}


def test_record_types_in_order_and_counts(long):
    assert list(RECORD_TYPES) == ["k_selection", "fit_metrics", "cluster_memory", "segment_centre"]
    assert long.columns[0] == RECORD_TYPE and list(long.columns[-2:]) == [RECORD, FIT_KEY]
    counts = long[RECORD_TYPE].value_counts(sort=False)
    assert counts.index.tolist() == ["assignment", "k_selection", "fit_metrics", "cluster_memory", "segment_centre",
                                     "lineage"]
    n_fits, k_grid = 2 * 3, 3  # 2 axes x 3 methods; k = 2..4
    fm = packed_rows(long, "fit_metrics", ["axis", "method", "k"])
    n_segments = int(pd.to_numeric(fm["k"]).sum())  # one memory record and one (reset) lineage event per segment
    memory = packed_rows(long, "cluster_memory", ["scope", "method", "cluster_id"])
    lineage = packed_rows(long, "lineage", ["scope", "event"])
    top = ~memory["scope"].str.contains(":")  # sub-segments: scope "<axis>:<parent path>", one record per child
    assert top.sum() == n_segments and (~lineage["scope"].str.contains(":")).sum() == n_segments
    assert len(lineage) == len(memory)
    assignment = long[long[RECORD_TYPE] == "assignment"]
    children = {(f"{a}:{p.rsplit('.', 1)[0]}", m, int(p.rsplit(".", 1)[1]))
                for a, m, p in assignment[["axis", "method", "segment_path"]].drop_duplicates().itertuples(index=False)
                if "." in p}
    assert children <= {(sc, m, int(c)) for sc, m, c in memory[~top].itertuples(index=False)}
    # one centre record per segment (and sub-segment) and feature of its axis
    centres = packed_rows(long, "segment_centre", ["axis", "method", "segment_path", "feature"])
    axis_of_record = memory["scope"].str.split(":").str[0]
    assert len(centres) == sum(len(META["axes"][axis]) for axis in axis_of_record)
    assert not centres.duplicated().any()
    assert counts.drop(["cluster_memory", "lineage", "segment_centre"]).to_dict() == {
        "assignment": N * n_fits, "k_selection": n_fits * k_grid, "fit_metrics": n_fits}
    assert set(lineage["event"]) == {"reset"}
    rows = long[long[RECORD_TYPE] == "assignment"]
    lengths = rows.groupby(["axis", "method"], observed=True)["memberships"].agg(lambda m: {len(x) for x in m})
    assert {(a, m): {k} for a, m, k in fm.itertuples(index=False)} == lengths.to_dict()


def test_the_long_table_splits_back_into_the_tables(long, tables):
    assignment = record_rows(long, "assignment", list(tables["assignment"].columns))
    for column in ("axis", "method", "segment_path", "run_id"):
        assignment[column] = assignment[column].astype("str")
    pd.testing.assert_frame_equal(assignment.astype(tables["assignment"].dtypes), tables["assignment"])
    for record_type in RECORD_TYPES:
        table = tables[record_type]
        rows = packed_rows(long, record_type, list(table.columns)).fillna(np.nan)
        pd.testing.assert_frame_equal(rows.astype(table.dtypes), table, check_exact=True)
        typed = [c for c in long.columns if c not in (RECORD_TYPE, RECORD, FIT_KEY)]
        assert long.loc[long[RECORD_TYPE] == record_type, typed].isna().all().all(), record_type
    assert long.loc[long[RECORD_TYPE] == "assignment", RECORD].isna().all()
    # the list column exploded is the long memberships table
    rows = long[long[RECORD_TYPE] == "assignment"]
    exploded = np.concatenate(rows["memberships"].to_numpy())
    np.testing.assert_array_equal(exploded, tables["membership"]["membership"].to_numpy())
    # one run id per (axis, method), the same in every table
    ids = pd.concat([rows[["axis", "method", "run_id"]].astype(str),
                     packed_rows(long, "k_selection", ["axis", "method", "run_id"])]).groupby(["axis", "method"])
    assert ids["run_id"].nunique().eq(1).all() and ids.ngroups == 6


def test_warehouse_types(arrow):
    con = duckdb.connect()
    con.register("long", arrow)
    types = dict(con.execute("select column_name, column_type from (describe long)").fetchall())
    assert types["record_type"] == "VARCHAR" and types["customer_id"] == "VARCHAR" and types["axis"] == "VARCHAR"
    assert types["segment_id"] == "BIGINT" and types["second_segment_id"] == "BIGINT"
    assert types["memberships"] == "DOUBLE[]" and types["record"] == "VARCHAR" and types["margin"] == "DOUBLE"
    k = con.execute("select count(*), count(distinct json_extract_string(record, '$.k')) from long "
                    "where record_type = 'k_selection'").fetchall()
    assert k == [(18, 3)]


def test_the_sql_views_select_each_table_with_its_columns(tables):
    views = split_models("python_models/customers")
    assert set(views) == {view for view, _ in VIEWS.values()}
    for table, (view, record_type) in VIEWS.items():
        long_table, selected_type, columns = views[view]
        assert (long_table, selected_type) == (MODEL, record_type)
        expected = list(tables[table].columns)
        if table == "membership":  # the view unnests the memberships list of the assignment rows
            expected = ["customer_id", "axis", "method", "memberships", "run_id"]
        if table == "k_selection":  # the view selects the mart's contract columns, in the contract's order
            columns, expected = sorted(columns), sorted(expected)
        assert columns == expected, view


_SCRIPT = """
import json, sys
import pandas as pd
from cluster_marts.adapters.customers import segmentation_table
features = pd.read_parquet(sys.argv[1])
import pyarrow.parquet as pq
pq.write_table(segmentation_table(features, json.loads(sys.argv[2]), model="int_customer_segmentation"), sys.argv[3])
"""


def test_two_fresh_processes_give_identical_tables(arrow, tmp_path):
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
    pq.write_table(arrow, tmp_path / "in_process.parquet")
    pd.testing.assert_frame_equal(outputs[0], pd.read_parquet(tmp_path / "in_process.parquet"))
