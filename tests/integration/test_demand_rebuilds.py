"""Rebuilds of the demand domain on private copies: seed edits relabel, the
make targets run their slices, the run registry only grows on real changes."""

from __future__ import annotations

import os
import subprocess

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration

# pattern rules in priority order, as documented in dfu_cluster_labels.sql
RULES = [
    ("intermittent", lambda c, t: c["zero_demand_pct"] > t["zero_demand"]),
    ("seasonal", lambda c, t: c["seasonality_strength"] > t["seasonality"]),
    ("growing", lambda c, t: c["trend_slope_normalized"] > t["trend"]),
    ("declining", lambda c, t: c["trend_slope_normalized"] < -t["trend"]),
    ("volatile", lambda c, t: c["cv_demand"] > t["cv_volatile"]),
    ("steady", lambda c, t: c["cv_demand"] < t["cv_steady"]),
]


def _labels(db) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql("select * from dfu_cluster_labels order by cluster_id").df()


def _expected_pattern(cluster: pd.Series, thresholds: dict[str, float]) -> str:
    return next((name for name, rule in RULES if rule(cluster, thresholds)), "variable")


def test_raising_the_seasonality_threshold_relabels_seasonal_clusters(
    warehouse_copy, project_copy, raw_dir, tmp_path
):
    before = _labels(warehouse_copy)
    assert (before["pattern"] == "seasonal").any(), "the demo plants seasonal DFUs"
    seed_path = project_copy / "seeds" / "dfu_label_thresholds.csv"
    seed = pd.read_csv(seed_path)
    # seasonality strength is at most 1 and the rule is "> threshold": 1 (the top of the
    # range the seed tests allow) labels no cluster seasonal
    seed.loc[seed["threshold_name"] == "seasonality", "threshold_value"] = 1.0
    seed.to_csv(seed_path, index=False)
    thresholds = dict(zip(seed["threshold_name"], seed["threshold_value"]))

    result = run_dbt(["build", "--selector", "dfu_label"], db=warehouse_copy,
                     project_dir=project_copy, raw=raw_dir, tmp=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]

    after = _labels(warehouse_copy)
    assert not (after["pattern"] == "seasonal").any()
    for (_, old), (_, new) in zip(before.iterrows(), after.iterrows()):
        assert new["pattern"] == _expected_pattern(new, thresholds)
        if old["pattern"] != "seasonal":
            assert new["cluster_label"] == old["cluster_label"]
    changed = set(before.loc[before["pattern"] == "seasonal", "cluster_id"])
    assert changed and all(after.set_index("cluster_id").loc[c, "pattern"] != "seasonal" for c in changed)

    # no new fit, new names: cluster_lineage records each relabelled cluster as renamed, once
    for _ in range(2):
        lineage = run_dbt(["run", "-s", "cluster_lineage"], db=warehouse_copy, project_dir=project_copy,
                          raw=raw_dir, tmp=tmp_path)
        assert lineage.returncode == 0, lineage.stdout[-3000:]
    renamed = _table(warehouse_copy, "cluster_lineage").query("domain == 'demand' and event == 'renamed'")
    old, new = before.set_index("cluster_id")["cluster_label"], after.set_index("cluster_id")["cluster_label"]
    relabelled = {c for c in old.index if old[c] != new[c]}
    assert relabelled and set(renamed["cluster_id"]) == relabelled and len(renamed) == len(relabelled)
    for row in renamed.itertuples():
        assert (row.previous_name, row.name) == (old[row.cluster_id], new[row.cluster_id])
        assert row.previous_run_id == row.run_id and row.previous_cluster_id == row.cluster_id


def test_make_targets_run_their_slices(warehouse_copy, raw_dir, tmp_path):
    env = {**os.environ, "CLUSTER_MARTS_DB": str(warehouse_copy), "RAW": str(raw_dir),
           "DBT_TARGET_PATH": str(tmp_path / "dbt_target"), "DBT_LOG_PATH": str(tmp_path / "dbt_logs"),
           "CLUSTER_MARTS_TEMP_DIR": str(tmp_path / "duckdb_spill")}
    for target in ["cluster-features", "cluster-train", "cluster-label", "cluster-update"]:
        result = subprocess.run(["make", "-s", target, f"RAW={raw_dir}"], cwd=PROJECT_ROOT, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{target}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        assert "Completed successfully" in result.stdout, target
    listed = run_dbt(["ls", "--selector", "dfu_train", "--resource-type", "model"], db=warehouse_copy,
                     project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp_path)
    names = {line.rsplit(".", 1)[-1] for line in listed.stdout.split() if line.startswith("cluster_marts.")}
    assert {"int_dfu_clustering", "int_dfu_k_selection", "int_dfu_clusters", "dfu_k_selection"} <= names
    assert "dim_dfu" not in names
    # cluster-all runs the union of the four slices (not rebuilt here: the slices just ran)
    slices = {}
    for selector in ["dfu_features", "dfu_train", "dfu_label", "dfu_update", "dfu_all"]:
        out = run_dbt(["ls", "--selector", selector], db=warehouse_copy, project_dir=PROJECT_ROOT,
                      raw=raw_dir, tmp=tmp_path).stdout.split()
        slices[selector] = {line for line in out if line.startswith(("cluster_marts.", "source:"))}
    assert slices["dfu_all"] == set().union(*(v for k, v in slices.items() if k != "dfu_all"))
    dry = subprocess.run(["make", "-n", "cluster-all", f"RAW={raw_dir}"], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert "--selector dfu_all" in dry.stdout


def test_registry_grows_only_when_data_or_settings_change(warehouse_copy, raw_dir, tmp_path):
    def runs() -> pd.DataFrame:
        return _table(warehouse_copy, "clustering_runs")

    before = runs()
    assert set(before["domain"]) == {"providers", "demand", "customers", "workbench"}
    same = run_dbt(["run", "-s", "clustering_runs"], db=warehouse_copy, project_dir=PROJECT_ROOT,
                   raw=raw_dir, tmp=tmp_path)
    assert same.returncode == 0, same.stdout[-3000:]
    assert len(runs()) == len(before)

    # a settings change on unchanged data (same run_id, other k range) adds exactly one row;
    # shown on the small provider domain to keep the suite fast
    changed = run_dbt(["run", "-s", "int_provider_clustering", "int_provider_k_selection", "provider_k_selection",
                       "clustering_runs"],
                      db=warehouse_copy, project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp_path,
                      vars_extra=", provider_k_max: 6")
    assert changed.returncode == 0, changed.stdout[-3000:]
    after = runs()
    assert len(after) == len(before) + 1
    new = after.merge(before, how="left", indicator=True).query("_merge == 'left_only'")
    assert new["domain"].tolist() == ["providers"]
    assert '"k_max": 6' in new["parameters"].item()
    assert new["run_id"].item() in set(before["run_id"])


def _table(db, name: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(f"select * from {name}").df()
