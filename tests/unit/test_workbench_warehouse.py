"""int_workbench_analysis: every spec run once, every table in one long table with a run id; SQL views split it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from long_table_sql import ROOT, split_models
from sklearn.datasets import make_blobs

from cluster_marts.adapters.long_table import RECORD_TYPE, record_rows
from cluster_marts.adapters.workbench import warehouse
from cluster_marts.adapters.workbench.analysis import TABLES, run_spec
from cluster_marts.config.spec import load_spec
from cluster_marts.errors import InputDataError, SettingsError

MODEL = "int_workbench_analysis"


def _spec(name: str, source: str, **extra) -> dict:
    return {"name": name, "source": {"path": source, "format": "csv"}, "id_column": "row_id",
            "features": ["x", "y"], "target": "truth", "algorithm": {"name": "kmeans", "params": {"n_init": 3}},
            "n_clusters": 3, "random_state": 7, "metrics": ["silhouette", "ari"], "compare": ["kmeans", "gmm"],
            **extra}


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("workbench")
    X, y = make_blobs(60, centers=[[0, 0], [5, 0], [0, 5]], cluster_std=0.6, random_state=1)
    rows = pd.DataFrame({"row_id": np.arange(60), "x": X[:, 0], "y": X[:, 1], "truth": y})
    rows.to_csv(root / "blobs.csv", index=False)
    rows.assign(truth=np.roll(y, 1)).to_csv(root / "relabelled.csv", index=False)
    (root / "specs").mkdir()
    (root / "one").mkdir()
    (root / "one" / "a_blobs.yml").write_text(yaml.safe_dump(_spec("blobs", "blobs.csv")))
    for file, raw in {"a_blobs.yml": _spec("blobs", "blobs.csv"),
                      "b_renamed.yml": _spec("renamed", "blobs.csv", figures=["scatter"]),
                      "c_relabelled.yml": _spec("relabelled", "relabelled.csv"),
                      "d_more_k.yml": _spec("more_k", "blobs.csv", n_clusters=4)}.items():
        (root / "specs" / file).write_text(yaml.safe_dump(raw))
    return root


@pytest.fixture(scope="module")
def long(root) -> pd.DataFrame:
    return warehouse.workbench_analysis({"root": str(root)}, model=MODEL)


@pytest.fixture(scope="module")
def expected(root) -> dict[str, pd.DataFrame]:
    """run_spec's own tables of the blobs spec."""
    spec = load_spec(root / "specs" / "a_blobs.yml")
    return run_spec(spec, pd.read_csv(root / spec.source.path))


def test_every_table_of_every_spec_once(long, expected):
    assert long.columns[:2].tolist() == [RECORD_TYPE, "spec_name"] and long.columns[-1] == "run_id"
    assert long[RECORD_TYPE].unique().tolist() == list(TABLES)
    for table in TABLES:
        rows = record_rows(long[long["spec_name"] == "blobs"], table, list(expected[table].columns))
        pd.testing.assert_frame_equal(rows.astype(expected[table].dtypes), expected[table])
        per_spec = long[long[RECORD_TYPE] == table]["spec_name"].unique().tolist()
        assert per_spec == ["blobs", "renamed", "relabelled", "more_k"], table


def test_one_run_id_per_spec_across_tables(long):
    ids = long.groupby("spec_name")["run_id"].agg(["nunique", "first"])
    assert ids["nunique"].eq(1).all() and ids["first"].str.fullmatch(r"[0-9a-f]{16}").all()
    run = ids["first"]
    assert run["renamed"] == run["blobs"]          # name and figures do not change the tables
    assert run["relabelled"] != run["blobs"]       # another target: other ARI
    assert run["more_k"] != run["blobs"]           # another setting


def test_rerun_is_identical(long, root):
    pd.testing.assert_frame_equal(warehouse.workbench_analysis({"root": str(root)}, model=MODEL), long)


def test_a_new_table_is_one_line(root, monkeypatch):
    """Adding a name to TABLES (and returning it from run_spec) is all the long table needs."""
    def run_with_extra(spec, frame):
        return {**run_spec(spec, frame), "extra": pd.DataFrame({"k": [2, 3], "score": [0.1, 0.2]})}

    monkeypatch.setattr(warehouse, "TABLES", (*TABLES, "extra"))
    monkeypatch.setattr(warehouse, "run_spec", run_with_extra)
    long = warehouse.workbench_analysis({"root": str(root), "specs_dir": "one"}, model=MODEL)
    extra = record_rows(long, "extra", ["spec_name", "k", "score", "run_id"])
    assert extra["k"].tolist() == [2, 3] and extra["spec_name"].tolist() == ["blobs", "blobs"]
    assert extra["run_id"].nunique() == 1 and extra["run_id"].iloc[0] == long["run_id"].iloc[0]


def test_errors_name_the_model(root, tmp_path):
    with pytest.raises(SettingsError, match=f"model {MODEL}: unknown setting"):
        warehouse.workbench_analysis({"specs": "x"}, model=MODEL)
    (tmp_path / "specs").mkdir()
    for file in ("one.yml", "two.yml"):
        (tmp_path / "specs" / file).write_text(yaml.safe_dump(_spec("same", str(root / "blobs.csv"))))
    with pytest.raises(InputDataError, match=f"model {MODEL}: two specs are named 'same'"):
        warehouse.workbench_analysis({"root": str(tmp_path)}, model=MODEL)


def test_every_table_has_its_sql_view_and_mart(expected):
    """python_models/workbench/int_workbench_<table>.sql selects its rows and columns; the mart casts them."""
    views = split_models("python_models/workbench")
    assert set(views) == {f"int_workbench_{table}" for table in TABLES}
    for table in TABLES:
        columns = ["spec_name", *(c for c in expected[table].columns if c != "run_id"), "run_id"]
        long_table, record_type, selected = views[f"int_workbench_{table}"]
        if table == "k_selection":  # the view selects the mart's contract columns, in the contract's order
            columns, selected = sorted(columns), sorted(selected)
        assert (long_table, record_type, selected) == (MODEL, table, columns), table
        mart = (ROOT / "models/marts/workbench" / f"workbench_{table}.sql").read_text()
        assert f"{{{{ cast_to_contract(ref('int_workbench_{table}')) }}}}" in mart, table
