"""Rebuilds on private copies of the warehouse (and project): determinism,
analyst seed edits flowing into the marts, and clear failures on bad settings."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration

CLUSTER_MODELS = ["int_provider_clustering", "int_provider_k_selection", "int_provider_clusters", "provider_clusters",
                  "provider_k_selection", "provider_cluster_summary"]


def _table(db, name: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(f"select * from {name}").df()


def test_rerun_gives_identical_tables(db_path, warehouse_copy, raw_dir, tmp_path):
    result = run_dbt(["run", "-s", *CLUSTER_MODELS], db=warehouse_copy,
                     project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    for name in ["provider_clusters", "provider_k_selection", "provider_cluster_summary"]:
        before = _table(db_path, name).sort_values(list(_table(db_path, name).columns[:1]))
        after = _table(warehouse_copy, name).sort_values(list(before.columns[:1]))
        pd.testing.assert_frame_equal(before.reset_index(drop=True), after.reset_index(drop=True))


def test_editing_the_region_seed_changes_regional_comparison(
    warehouse_copy, project_copy, raw_dir, tmp_path
):
    seed_path = project_copy / "seeds" / "provider_regions.csv"
    seed = pd.read_csv(seed_path)
    assert seed.loc[seed["creator"] == "Mistral", "region"].item() == "Europe"
    with duckdb.connect(str(warehouse_copy), read_only=True) as con:
        moved = con.sql(
            "select count(intelligence_index) as n from int_ai_models_regioned "
            "where provider_id = 'mistral'"
        ).fetchall()[0][0]
        before = con.sql(
            "select region, model_count from regional_comparison where metric = 'intelligence'"
        ).df().set_index("region")["model_count"]
    assert moved > 0, "the demo gives Mistral scored models"

    seed.loc[seed["creator"] == "Mistral", "region"] = "US"
    seed.to_csv(seed_path, index=False)
    result = run_dbt(["build", "-s", "provider_regions+"], db=warehouse_copy,
                     project_dir=project_copy, raw=raw_dir, tmp=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]

    after = _table(warehouse_copy, "regional_comparison")
    after = after[after["metric"] == "intelligence"].set_index("region")["model_count"]
    assert after["US"] == before["US"] + moved
    assert after.get("Europe", 0) == before["Europe"] - moved
    clusters = _table(warehouse_copy, "provider_clusters")
    assert clusters.loc[clusters["provider_id"] == "mistral", "region"].item() == "US"


def test_bad_setting_fails_with_model_and_setting_named(warehouse_copy, raw_dir, tmp_path):
    result = run_dbt(["run", "-s", "int_provider_clustering"], db=warehouse_copy,
                     project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp_path,
                     vars_extra=", provider_k_min: 1")
    assert result.returncode != 0
    assert "int_provider_clustering" in result.stdout
    assert "k_min" in result.stdout
