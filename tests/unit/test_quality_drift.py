"""The GX suite on customer_drift (cluster_marts.quality.drift)."""

from __future__ import annotations

from marts_fixture import fake_drift_marts, write_warehouse

from cluster_marts.quality import REQUIRED_DOMAINS, run_checks


def test_drift_suite_is_required_and_passes_on_calm_data(tmp_path, capsys):
    assert "drift" in REQUIRED_DOMAINS
    assert run_checks(write_warehouse(tmp_path / "w.duckdb")) == 0
    assert "ok   suite customer_drift: 4/4" in capsys.readouterr().out


def test_restless_drift_fails_and_names_the_columns(tmp_path, capsys):
    drift = fake_drift_marts()["customer_drift"]
    drift.loc[: len(drift) // 2, ["drift_score", "severity"]] = [0.6, "SIGNIFICANT"]
    drift.loc[0, "drift_velocity"] = 1.5
    db = write_warehouse(tmp_path / "w.duckdb", {"customer_drift": drift})
    assert run_checks(db) == 1
    out = capsys.readouterr().out
    assert "customer_drift.severity: expect_column_values_to_be_in_set" in out
    assert "customer_drift.drift_score: expect_column_mean_to_be_between" in out
    assert "customer_drift.drift_velocity" in out and "1.5" in out
