"""Tests for the Great Expectations checkpoint ``cluster_marts.quality.run_checks``."""

from __future__ import annotations

from pathlib import Path

import yaml
from marts_fixture import DEMAND_MARTS, fake_demand_marts, fake_marts, write_warehouse

from cluster_marts.quality import REQUIRED_DOMAINS, THRESHOLDS_REL, load_domain, run_checks

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


# ------------------------------------------------------------------ suite registry

#: The marts each domain's suites check, written out here rather than read from the suite modules.
SUITE_MARTS = {
    "providers": {"provider_clusters", "provider_k_selection", "provider_cluster_summary", "regional_comparison"},
    "demand": set(DEMAND_MARTS),
    "customers": {"customer_memberships", "customer_segment_profiles"},
    "drift": {"customer_drift"},
}


def test_required_domains_name_suite_modules():
    assert REQUIRED_DOMAINS == ("providers", "demand", "customers", "drift")
    for name, marts in SUITE_MARTS.items():
        module = load_domain(name)
        suites = module.build_expectations()
        assert set(module.TABLES) == set(suites) == marts, name
        assert all(len(suites[mart]) > 0 for mart in marts), name
    assert load_domain("demand").TABLES == DEMAND_MARTS


# ------------------------------------------------------------------ demand suites

BOTH = ("providers", "demand")


def demand_warehouse(path: Path, demand: dict | None = None, **kwargs) -> Path:
    """A warehouse with the provider marts and the (possibly edited) demand marts."""
    return write_warehouse(path, {**fake_marts(), **(demand or fake_demand_marts())}, **kwargs)


def failures(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("FAIL ") and " suite " not in line]


def test_demand_good_warehouse_passes(tmp_path, capsys):
    db = demand_warehouse(tmp_path / "warehouse.duckdb")
    assert run_checks(db, domains=BOTH) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out
    for table in ("provider_clusters", *DEMAND_MARTS):
        assert f"ok   suite {table}:" in out
    assert "passed" in out.splitlines()[-1]


def test_demand_bad_distributions_fail(tmp_path, capsys):
    marts = fake_demand_marts()
    assignments, dim_dfu = marts["dfu_cluster_assignments"], marts["dim_dfu"]
    assignments["silhouette"] = 0.1                                   # mean below 0.25
    assignments["k"] = 7                                              # 6 clusters, k says 7
    dim_dfu.loc[0, "months_of_history"] = 0                           # outside 1..1000
    clustered = dim_dfu.index[dim_dfu["cluster_assignment"].notna()]
    dim_dfu.loc[clustered[:30], "cluster_assignment"] = None          # 258 / 300 = 0.86 < 0.9
    db = demand_warehouse(tmp_path / "warehouse.duckdb", marts)
    assert run_checks(db, domains=BOTH) == 1
    fails = failures(capsys.readouterr().out)
    assert len(fails) == 4, fails
    assert any("dfu_cluster_assignments.silhouette: expect_column_mean_to_be_between" in f for f in fails)
    assert any("dfu_cluster_assignments.cluster_id: expect_column_unique_value_count_to_be_between" in f
               and "observed 6" in f for f in fails)
    assert any("dim_dfu.months_of_history" in f and "[0]" in f for f in fails)
    assert any("dim_dfu.cluster_assignment: expect_column_values_to_not_be_null" in f
               and "'mostly': 0.9" in f and "42 of 300" in f for f in fails)


def test_demand_label_spread(tmp_path, capsys):
    marts = fake_demand_marts()
    assignments = marts["dfu_cluster_assignments"]
    two = assignments["cluster_id"].map(lambda c: "high_volume_steady" if c < 4 else "volatile")
    assignments["cluster_label"] = assignments["cluster_assignment"] = two
    db = demand_warehouse(tmp_path / "warehouse.duckdb", marts)
    assert run_checks(db, domains=BOTH) == 1
    fails = failures(capsys.readouterr().out)
    assert len(fails) == 2, fails
    share = [f for f in fails if "expect_column_values_to_not_be_in_set" in f]
    assert len(share) == 1 and "high_volume_steady" in share[0] and "'mostly': 0.4" in share[0]
    assert any("dfu_cluster_assignments.cluster_label: expect_column_unique_value_count_to_be_between"
               in f and "observed 2" in f for f in fails)


def test_demand_cross_table_row_count(tmp_path, capsys):
    marts = fake_demand_marts()
    marts["dim_dfu"] = marts["dim_dfu"].iloc[:250]                    # fewer DFUs than clustered (288)
    db = demand_warehouse(tmp_path / "warehouse.duckdb", marts)
    assert run_checks(db, domains=BOTH) == 1
    out = capsys.readouterr().out
    assert "dim_dfu.<table>: expect_table_row_count_to_be_between" in out and "observed 250" in out


def test_demand_mostly_is_a_yaml_parameter(tmp_path, capsys):
    """``mostly`` is a ``$PARAMETER``: the fixture's 96% assigned share passes 0.95, fails 0.97."""
    db = demand_warehouse(tmp_path / "warehouse.duckdb")
    thresholds = yaml.safe_load((REPO / THRESHOLDS_REL).read_text())
    results = {}
    for share in (0.95, 0.97):
        path = tmp_path / f"thresholds_{share}.yml"
        path.write_text(yaml.safe_dump({**thresholds, "min_assigned_share": share}))
        results[share] = run_checks(db, thresholds_path=path, domains=BOTH)
    assert results == {0.95: 0, 0.97: 1}
    out = capsys.readouterr().out
    assert "dim_dfu.cluster_assignment: expect_column_values_to_not_be_null {'mostly': 0.97}" in out


def test_missing_demand_mart_fails_when_required(tmp_path, capsys):
    db = demand_warehouse(tmp_path / "warehouse.duckdb", skip=["dim_dfu"])
    assert run_checks(db) == 1                                        # demand is a required domain
    assert "main.dim_dfu is missing" in capsys.readouterr().err
    assert run_checks(db, domains=("providers", "customers", "drift")) == 0
    capsys.readouterr()
    assert run_checks(db, domains=BOTH) == 1
    err = capsys.readouterr().err
    assert "main.dim_dfu is missing" in err and "run `make build` first" in err


def test_missing_demand_threshold_fails_clearly(tmp_path, capsys):
    thresholds = yaml.safe_load((REPO / THRESHOLDS_REL).read_text())
    for key in ("max_label_share", "min_assigned_share"):
        path = tmp_path / f"no_{key}.yml"
        path.write_text(yaml.safe_dump({k: v for k, v in thresholds.items() if k != key}))
        db = demand_warehouse(tmp_path / f"{key}.duckdb")
        assert run_checks(db, thresholds_path=path, domains=BOTH) == 1
        assert key in capsys.readouterr().err

