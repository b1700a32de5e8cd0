"""Every fit of the `make dbt-test` warehouse logged to a local MLflow file store, once; tracking that cannot
reach its server warns and never fails."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from cluster_marts.reporting.tracking import K_SELECTION, SCOPE, log_fits, run_track

mlflow = pytest.importorskip("mlflow")
pytestmark = pytest.mark.integration


def _chosen(query) -> pd.DataFrame:
    return pd.concat([query(f"select '{domain}' as domain, coalesce({SCOPE.get(domain, 'axis')}, '') as axis, "
                            "coalesce(method, algorithm) as method, run_id, k, silhouette "
                            f"from {table} where is_chosen") for domain, table in K_SELECTION.items()],
                     ignore_index=True)


def test_one_run_per_fit_with_its_settings_scores_and_k_table(db_path, query, tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    uri = (tmp_path / "mlruns").as_uri()
    written = log_fits(db_path, uri, experiment="fits")
    chosen = _chosen(query)
    assert len(written) == len(chosen) >= 17  # providers and demand fits + 7 customer axes x 2 default methods
    mlflow.set_tracking_uri(uri)
    runs = mlflow.search_runs(experiment_names=["fits"])
    assert sorted(runs["tags.mlflow.runName"]) == sorted(chosen["run_id"])
    merged = runs.merge(chosen, left_on=["tags.cluster_marts.domain", "tags.cluster_marts.axis",
                                         "tags.cluster_marts.method", "tags.cluster_marts.run_id"],
                        right_on=["domain", "axis", "method", "run_id"], validate="one_to_one")
    assert len(merged) == len(chosen)
    domains = merged[merged["domain"] != "workbench"]
    assert (domains["params.k"].astype(int) == domains["k"]).all()
    assert ((domains["metrics.silhouette"] - domains["silhouette"]).abs() < 1e-12).all()
    # a workbench fit: one run per spec, with the scores, k and algorithm of the fit the spec asked for
    workbench = merged[merged["domain"] == "workbench"].set_index("axis")
    specs = query("select spec_name, metric, value from workbench_metrics").pivot(
        index="spec_name", columns="metric", values="value")
    assert sorted(workbench.index) == sorted(specs.index) and len(specs) >= 2
    for spec, row in workbench.iterrows():
        for metric, value in specs.loc[spec].dropna().items():
            assert row[f"metrics.{metric}"] == pytest.approx(value, abs=1e-12), (spec, metric)
        k = query(f"select count(distinct cluster_id) as k from workbench_clusters where spec_name = '{spec}' "
                  "and cluster_id >= 0")["k"].item()
        assert int(row["params.k"]) == k and row["params.algorithm"] == row["method"]
    assert workbench.loc["wine", "metrics.ari"] > 0.8
    client = mlflow.MlflowClient()
    demand = merged[merged["domain"] == "demand"].iloc[0]
    artifacts = {a.path for a in client.list_artifacts(demand["run_id_x"])}
    assert artifacts == {"k_selection.csv", "k_selection.png"}
    table = pd.read_csv(client.download_artifacts(demand["run_id_x"], "k_selection.csv", str(tmp_path)))
    assert len(table) == int(query("select count(*) from dfu_k_selection").iloc[0, 0])
    history = client.get_metric_history(demand["run_id_x"], "silhouette_by_k")
    assert sorted(m.step for m in history) == sorted(table["k"])
    assert log_fits(db_path, uri, experiment="fits") == []  # already logged: nothing new


def test_an_unreachable_server_warns_and_the_build_goes_on(db_path, capsys):
    started = time.monotonic()
    assert run_track(db_path, "http://127.0.0.1:9") == 0
    assert "could not log the fits" in capsys.readouterr().err
    assert time.monotonic() - started < 60
    assert run_track(db_path, None) == 0
