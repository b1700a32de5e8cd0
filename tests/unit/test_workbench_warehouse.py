"""int_workbench_fit_<spec>: each spec run once, every table in one long table with a run id; SQL stacks it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from long_table_sql import ROOT, split_models
from sklearn.datasets import make_blobs

from cluster_marts.adapters.long_table import RECORD, RECORD_TYPE, record_rows
from cluster_marts.adapters.memory import FIT_KEY, previous_records
from cluster_marts.adapters.workbench import warehouse
from cluster_marts.adapters.workbench.analysis import KEPT, TABLES, run_spec
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


def _fit(root: Path, name: str, relation=None, reads: str | None = None, **meta) -> pd.DataFrame:
    spec = next(s for s in map(load_spec, (root / "specs").glob("*.yml")) if s.name == name)
    return warehouse.workbench_fit(relation, {"root": str(root), **meta}, spec=name,
                                   reads=reads or spec.source.describe(), model=MODEL)


@pytest.fixture(scope="module")
def long(root) -> pd.DataFrame:
    """What int_workbench_analysis stacks: every spec's model, in name order."""
    return pd.concat([_fit(root, name) for name in ("blobs", "renamed", "relabelled", "more_k")],
                     ignore_index=True)


@pytest.fixture(scope="module")
def expected(root) -> dict[str, pd.DataFrame]:
    """run_spec's own tables of the blobs spec."""
    spec = load_spec(root / "specs" / "a_blobs.yml")
    return run_spec(spec, pd.read_csv(root / spec.source.path))


def test_every_table_of_every_spec_once(long, expected):
    assert long.columns[:2].tolist() == [RECORD_TYPE, "spec_name"]
    assert long.columns[-3:].tolist() == ["run_id", RECORD, FIT_KEY]
    assert list(dict.fromkeys(long[RECORD_TYPE])) == [*TABLES, *KEPT]
    assert (long[FIT_KEY] == long["spec_name"]).all()
    assert long[RECORD].notna().tolist() == long[RECORD_TYPE].isin(KEPT).tolist()
    kept = previous_records(long[long["spec_name"] == "blobs"])
    for kind in KEPT:
        rows = kept.loc[kept[RECORD_TYPE] == kind, list(expected[kind].columns)].reset_index(drop=True)
        pd.testing.assert_frame_equal(rows.astype(object).where(rows.notna(), None),
                                      expected[kind].astype(object).where(expected[kind].notna(), None))
    for table in TABLES:
        rows = record_rows(long[long["spec_name"] == "blobs"], table, list(expected[table].columns))
        pd.testing.assert_frame_equal(rows.astype(expected[table].dtypes), expected[table])
        per_spec = long[long[RECORD_TYPE] == table]["spec_name"].unique().tolist()
        assert per_spec == ["blobs", "renamed", "relabelled", "more_k"], table


def test_every_spec_gives_the_same_columns(root):
    """int_workbench_analysis stacks the specs' tables by position: same names, order and types for a
    centroid method and a density method that finds no cluster."""
    kmeans = _fit(root, "blobs")
    (root / "specs" / "e_dbscan.yml").write_text(yaml.safe_dump(_spec(
        "dense", "blobs.csv", algorithm={"name": "dbscan", "params": {"eps": 0.01}}, n_clusters=None)))
    try:
        dbscan = _fit(root, "dense")
    finally:
        (root / "specs" / "e_dbscan.yml").unlink()
    assert dbscan.columns.tolist() == kmeans.columns.tolist()
    assert dbscan.dtypes.astype(str).tolist() == kmeans.dtypes.astype(str).tolist()


def test_the_model_reads_the_relation_it_is_given(root):
    """A spec read by dbt (ref or source): the rows come from the relation its model hands over."""
    rows = pd.read_csv(root / "blobs.csv")
    (root / "specs" / "f_ref.yml").write_text(yaml.safe_dump(_spec("by_ref", "x.csv") | {"source": {"ref": "blobs"}}))
    try:
        by_ref = _fit(root, "by_ref", relation=rows, reads="ref blobs")
    finally:
        (root / "specs" / "f_ref.yml").unlink()
    blobs = _fit(root, "blobs")
    assert by_ref["run_id"].iloc[0] == blobs["run_id"].iloc[0]  # where the rows come from is not hashed
    # settings name the source; the spec's name is the scope of its memory and lineage and its fit_key
    same = [c for c in blobs.columns if c not in ("spec_name", "settings_json", RECORD, FIT_KEY)]
    pd.testing.assert_frame_equal(by_ref[same], blobs[same])


def test_one_run_id_per_spec_across_tables(long):
    ids = long.groupby("spec_name")["run_id"].agg(["nunique", "first"])
    assert ids["nunique"].eq(1).all() and ids["first"].str.fullmatch(r"[0-9a-f]{16}").all()
    run = ids["first"]
    assert run["renamed"] == run["blobs"]          # name and figures do not change the tables
    assert run["relabelled"] != run["blobs"]       # another target: other ARI
    assert run["more_k"] != run["blobs"]           # another setting


def test_rerun_is_identical(long, root):
    pd.testing.assert_frame_equal(_fit(root, "blobs"), long[long["spec_name"] == "blobs"].reset_index(drop=True))


def test_a_new_table_is_one_line(root, monkeypatch):
    """Adding a name to TABLES (and returning it from run_spec) is all the long table needs."""
    def run_with_extra(spec, frame, previous=None):
        return {**run_spec(spec, frame, previous), "extra": pd.DataFrame({"k": [2, 3], "score": [0.1, 0.2]})}

    monkeypatch.setattr(warehouse, "TABLES", (*TABLES, "extra"))
    monkeypatch.setattr(warehouse, "run_spec", run_with_extra)
    long = _fit(root, "blobs", specs_path="one")
    extra = record_rows(long, "extra", ["spec_name", "k", "score", "run_id"])
    assert extra["k"].tolist() == [2, 3] and extra["spec_name"].tolist() == ["blobs", "blobs"]
    assert extra["run_id"].nunique() == 1 and extra["run_id"].iloc[0] == long["run_id"].iloc[0]


def test_errors_name_the_model(root, tmp_path):
    with pytest.raises(SettingsError, match=f"model {MODEL}: unknown setting"):
        warehouse.workbench_fit(None, {"specs": "x"}, spec="blobs", reads="file blobs.csv", model=MODEL)
    with pytest.raises(SettingsError, match=f"model {MODEL} reads ref blobs but spec .* says file blobs.csv"):
        _fit(root, "blobs", reads="ref blobs")
    with pytest.raises(InputDataError, match=f"model {MODEL}: no spec named 'absent'"):
        warehouse.workbench_fit(None, {"root": str(root)}, spec="absent", reads="file x", model=MODEL)
    (tmp_path / "specs").mkdir()
    for file in ("one.yml", "two.yml"):
        (tmp_path / "specs" / file).write_text(yaml.safe_dump(_spec("same", str(root / "blobs.csv"))))
    with pytest.raises(InputDataError, match=f"model {MODEL}: 2 specs .* named 'same'"):
        warehouse.workbench_fit(None, {"root": str(tmp_path)}, spec="same", reads="file x", model=MODEL)


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
