"""Tests for the Great Expectations checkpoint ``cluster_marts.quality.run_checks``."""

from __future__ import annotations

from pathlib import Path

import yaml
from marts_fixture import fake_marts, write_warehouse

from cluster_marts.quality import THRESHOLDS_REL, run_checks

REPO = Path(__file__).resolve().parents[2]


def test_good_warehouse_passes(tmp_path, capsys):
    db = write_warehouse(tmp_path / "warehouse.duckdb")
    assert run_checks(db) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out
    for table in ("provider_clusters", "provider_k_selection", "provider_cluster_summary", "regional_comparison"):
        assert f"suite {table}:" in out
    assert "passed" in out.splitlines()[-1]


def test_bad_warehouse_fails_and_names_the_columns(tmp_path, capsys):
    marts = fake_marts()
    marts["provider_clusters"].loc[0, "avg_price"] = 5000.0
    marts["provider_k_selection"].loc[1, "davies_bouldin"] = -0.2
    marts["regional_comparison"].loc[2, "epsilon_squared"] = 1.5
    db = write_warehouse(tmp_path / "warehouse.duckdb", marts)
    assert run_checks(db) == 1
    out = capsys.readouterr().out
    fails = [line for line in out.splitlines() if line.startswith("FAIL ") and " suite " not in line]
    assert len(fails) == 3
    assert any("provider_clusters.avg_price" in line and "5000" in line for line in fails)
    assert any("provider_k_selection.davies_bouldin" in line and "-0.2" in line for line in fails)
    assert any("regional_comparison.epsilon_squared" in line and "1.5" in line for line in fails)
    assert "3 expectation(s) failed" in out


def test_cross_table_counts_and_chosen_k(tmp_path, capsys):
    marts = fake_marts()
    marts["provider_clusters"].loc[0, "cluster_id"] = 7           # outside 0..k-1 for the chosen k = 3
    marts["provider_k_selection"]["is_knee"] = True              # more than one knee
    marts["regional_comparison"] = marts["regional_comparison"].iloc[:-1]  # a region x metric row lost
    db = write_warehouse(tmp_path / "warehouse.duckdb", marts)
    assert run_checks(db) == 1
    out = capsys.readouterr().out
    assert "provider_clusters.cluster_id" in out
    assert "provider_k_selection.is_knee" in out
    assert "regional_comparison.<table>: expect_table_row_count_to_equal" in out


def test_thresholds_come_from_yaml(tmp_path, capsys):
    thresholds = yaml.safe_load((REPO / THRESHOLDS_REL).read_text())
    thresholds["min_mean_silhouette"] = 0.9
    path = tmp_path / "thresholds.yml"
    path.write_text(yaml.safe_dump(thresholds))
    db = write_warehouse(tmp_path / "warehouse.duckdb")
    assert run_checks(db, thresholds_path=path) == 1
    out = capsys.readouterr().out
    assert "provider_clusters.silhouette: expect_column_mean_to_be_between" in out
    assert "0.9" in out


def test_missing_mart_fails_clearly(tmp_path, capsys):
    db = write_warehouse(tmp_path / "warehouse.duckdb", skip=["regional_comparison"])
    assert run_checks(db) == 1
    err = capsys.readouterr().err
    assert "regional_comparison" in err and "run `make build` first" in err


def test_missing_warehouse_fails_clearly(tmp_path, capsys):
    assert run_checks(tmp_path / "nope.duckdb") == 1
    assert "make build" in capsys.readouterr().err
