"""Tests of the customer GX suites (``cluster_marts.quality.customers``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from marts_fixture import fake_customer_marts, write_warehouse

from cluster_marts.quality import REQUIRED_DOMAINS, THRESHOLDS_REL, load_domain, run_checks
from cluster_marts.quality.customers import TABLES, runtime_parameters

REPO = Path(__file__).resolve().parents[2]
DOMAINS = REQUIRED_DOMAINS


def fails(out: str) -> list[str]:
    """The per-expectation FAIL lines of a checkpoint's output."""
    return [line for line in out.splitlines() if line.startswith("FAIL ") and " suite " not in line]


def test_customers_is_a_required_domain() -> None:
    assert "customers" in REQUIRED_DOMAINS
    module = load_domain("customers")
    assert module.TABLES == TABLES == ("customer_memberships", "customer_segment_profiles")


def test_good_marts_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = write_warehouse(tmp_path / "warehouse.duckdb")
    assert run_checks(db, domains=DOMAINS) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out
    assert "ok   suite customer_memberships: 4/4" in out
    assert "ok   suite customer_segment_profiles: 4/4" in out


def test_customer_suites_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = write_warehouse(tmp_path / "warehouse.duckdb", skip=["provider_clusters", "dim_dfu"])
    assert run_checks(db, domains=("customers",)) == 0
    assert "provider_clusters" not in capsys.readouterr().out


def test_bad_marts_fail_and_name_the_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marts = fake_customer_marts()
    memberships, profiles = marts["customer_memberships"], marts["customer_segment_profiles"]
    memberships.loc[0, "membership"] = 1.3
    profiles.loc[3, "size"] = 0
    profiles.loc[4, "std"] = -0.5
    sub = profiles.index[~profiles["is_top_level"]][0]
    profiles.loc[sub, "percentage"] = 140.0          # a subsegment: the top-level sum is untouched
    db = write_warehouse(tmp_path / "warehouse.duckdb", marts)
    assert run_checks(db, domains=DOMAINS) == 1
    lines = fails(capsys.readouterr().out)
    assert len(lines) == 4, lines
    assert any("customer_memberships.membership" in line and "1.3" in line for line in lines)
    assert any("customer_segment_profiles.size" in line and "[0]" in line for line in lines)
    assert any("customer_segment_profiles.std" in line and "-0.5" in line for line in lines)
    assert any("customer_segment_profiles.percentage" in line and "140" in line for line in lines)


def test_top_level_percentages_must_add_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marts = fake_customer_marts()
    profiles = marts["customer_segment_profiles"]
    first = profiles.index[profiles["is_top_level"]][0]
    profiles.loc[first, "percentage"] -= 2.0          # still within 0..100, but the group sums to 98
    db = write_warehouse(tmp_path / "warehouse.duckdb", marts)
    assert run_checks(db, domains=DOMAINS) == 1
    lines = fails(capsys.readouterr().out)
    assert len(lines) == 1 and "customer_segment_profiles.percentage: expect_column_sum_to_be_between" in lines[0]


def test_subsegment_percentages_do_not_count_in_the_sum() -> None:
    marts = fake_customer_marts()
    params = runtime_parameters(marts, {"min_dominant_membership_share": 0.5, "percentage_sum_tolerance": 0.01})
    top = marts["customer_segment_profiles"].query("is_top_level")
    n_groups = 3 * 3                                  # 3 methods x 3 features on one axis
    assert top["percentage"].sum() == pytest.approx(100 * n_groups)
    assert params["min_top_level_percentage_sum"] == pytest.approx(100 * n_groups - 0.09)
    assert params["max_top_level_percentage_sum"] == pytest.approx(100 * n_groups + 0.09)


def test_weak_dominance_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marts = fake_customer_marts()
    memberships = marts["customer_memberships"]
    fuzzy = memberships["method"].isin(["fcm", "gmm"])
    memberships.loc[fuzzy, "membership"] = 1 / 3     # two of three methods without a dominant segment
    db = write_warehouse(tmp_path / "warehouse.duckdb", marts)
    assert run_checks(db, domains=DOMAINS) == 1
    lines = fails(capsys.readouterr().out)
    assert len(lines) == 1
    assert "customer_memberships.membership" in lines[0] and "'min_value': 0.5" in lines[0]


def test_dominant_share_parameter() -> None:
    marts = fake_customer_marts()
    params = runtime_parameters(marts, {"min_dominant_membership_share": 0.9, "percentage_sum_tolerance": 0.0})
    # 60 customers x 3 methods groups over 540 rows (k = 3)
    assert params["min_strong_membership_row_share"] == pytest.approx(0.9 * 180 / 540)
    assert np.isclose(params["min_top_level_percentage_sum"], params["max_top_level_percentage_sum"])


def test_row_count_bounds_come_from_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    thresholds = yaml.safe_load((REPO / THRESHOLDS_REL).read_text())
    for key in ("min_customer_membership_rows", "max_customer_membership_rows", "min_segmented_customers",
                "max_segmented_customers", "min_dominant_membership_share", "percentage_sum_tolerance"):
        assert key in thresholds
    thresholds["max_customer_membership_rows"] = 100
    thresholds["min_segmented_customers"] = 61
    path = tmp_path / "thresholds.yml"
    path.write_text(yaml.safe_dump(thresholds))
    db = write_warehouse(tmp_path / "warehouse.duckdb")
    assert run_checks(db, thresholds_path=path, domains=DOMAINS) == 1
    lines = fails(capsys.readouterr().out)
    assert len(lines) == 2
    assert any("customer_memberships.<table>: expect_table_row_count_to_be_between" in line for line in lines)
    assert any("customer_memberships.customer_id" in line for line in lines)


def test_missing_customer_mart_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = write_warehouse(tmp_path / "warehouse.duckdb", skip=["customer_memberships"])
    assert run_checks(db, domains=DOMAINS) == 1
    assert "customer_memberships" in capsys.readouterr().err
    assert run_checks(db, domains=("providers", "demand")) == 0   # other domains do not depend on it


def test_by_default_the_suites_of_the_built_domains_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    db = write_warehouse(tmp_path / "warehouse.duckdb", skip=["provider_clusters", "dim_dfu"])
    assert run_checks(db) == 1  # no record of the build: every domain's suites, and the provider marts are missing
    assert "provider_clusters" in capsys.readouterr().err
    with duckdb.connect(str(db)) as con:  # what the on-run-end hook records of a customers-only build
        con.execute("create table main.dbt_invocation as select 'abc' as invocation_id, 'customers' as domains")
    assert run_checks(db) == 0
    out = capsys.readouterr().out
    assert "GX suites of providers, demand not run: the last build left them out" in out
    assert "ok   suite customer_memberships: 4/4" in out and "provider_clusters" not in out
