"""Tests for ``cluster_marts.reporting.providers.run_report`` on a small fake warehouse."""

from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd
import pytest
from marts_fixture import MARTS, RUN_ID, fake_marts, write_warehouse

from cluster_marts.reporting.providers import run_report
from cluster_marts.reporting.providers.figures import LABEL_ALL_MAX, LABELS_PER_CLUSTER, _labelled

PNGS = ("elbow_plot.png", "silhouette_scores.png", "provider_cluster_analysis.png")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _report(tmp_path: Path, marts: dict[str, pd.DataFrame] | None = None) -> tuple[Path, str]:
    db = write_warehouse(tmp_path / "warehouse.duckdb", marts)
    out = tmp_path / "reports"
    assert run_report(db, out) == 0
    return out, (out / "provider_clustering.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return _report(tmp_path_factory.mktemp("report"))


@pytest.mark.parametrize("name", PNGS)
def test_figures_are_valid_pngs_of_sensible_size(report, name):
    data = (report[0] / "figures" / name).read_bytes()
    assert data[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", data[16:24])  # IHDR
    assert 600 <= width <= 4000 and 400 <= height <= 4000
    assert len(data) > 10_000  # something was drawn


def test_markdown_names_k_segments_providers_and_run(report):
    text = report[1]
    marts = fake_marts()
    assert "chose **k = 3**" in text
    assert RUN_ID in text
    for segment in marts["provider_cluster_summary"]["segment_name"]:
        assert segment in text
    for provider in marts["provider_clusters"]["provider_name"]:
        assert provider in text
    for n, heading in enumerate(["Cluster validation", "Cluster profiles", "Market segments",
                                 "Regional comparison", "Providers by cluster", "Insights"], start=1):
        assert f"## {n}. {heading}" in text
    for name in PNGS:
        assert f"](figures/{name})" in text


def test_markdown_reports_knee_and_regional_tests(report):
    text = report[1]
    assert "knee of the inertia curve is at k = 3, which agrees with the chosen k" in text
    rc = fake_marts()["regional_comparison"]
    for metric, part in rc.groupby("metric"):
        p = part["kruskal_p_value"].iloc[0]
        assert f"p = {p:.4g}" in text
        verdict = "is **significant**" if part["is_significant"].iloc[0] else "is **not significant**"
        assert f"difference in {metric} {verdict}" in text
    assert "priced 1.2 sd above the provider average" in text  # frontier premium price_z = +1.20


def test_text_follows_the_data(tmp_path):
    marts = fake_marts()
    pc, summary, ks = marts["provider_clusters"], marts["provider_cluster_summary"], marts["provider_k_selection"]
    pc.loc[pc["provider_name"] == "Acorn Labs", "provider_name"] = "Zephyr Quanta"
    summary.loc[summary["segment_name"] == "budget", "segment_name"] = "bargain basement"
    summary.loc[summary["segment_name"] == "frontier premium", "price_z"] = 2.345
    ks["is_chosen"] = ks["k"] == 4
    ks["is_knee"] = ks["k"] == 5
    _, text = _report(tmp_path, marts)
    assert "Zephyr Quanta" in text and "Acorn Labs" not in text
    assert "bargain basement" in text and "**budget**" not in text
    assert "priced 2.3 sd above the provider average" in text
    assert "chose **k = 4**" in text
    assert "knee of the inertia curve is at k = 5, which differs from the chosen k = 4" in text


@pytest.mark.parametrize("table", MARTS)
def test_missing_mart_fails_clearly(tmp_path, capsys, table):
    db = write_warehouse(tmp_path / "warehouse.duckdb", skip=[table])
    assert run_report(db, tmp_path / "reports") == 1
    err = capsys.readouterr().err
    assert table in err and "run `make build` first" in err
    assert not (tmp_path / "reports" / "provider_clustering.md").exists()


def test_empty_mart_fails_clearly(tmp_path, capsys):
    db = write_warehouse(tmp_path / "warehouse.duckdb", empty=["provider_cluster_summary"])
    assert run_report(db, tmp_path / "reports") == 1
    err = capsys.readouterr().err
    assert "provider_cluster_summary" in err and "empty" in err and "make build" in err


def test_missing_warehouse_fails_clearly(tmp_path, capsys):
    assert run_report(tmp_path / "nope.duckdb", tmp_path / "reports") == 1
    assert "make build" in capsys.readouterr().err


def test_labels_top_providers_per_cluster_when_many():
    n = LABEL_ALL_MAX + 15
    pc = pd.DataFrame({"cluster_id": [i % 3 for i in range(n)], "model_count": list(range(n))})
    picked = pc.loc[_labelled(pc)]
    assert len(picked) == 3 * LABELS_PER_CLUSTER
    for _, group in picked.groupby("cluster_id"):
        top = pc.loc[pc["cluster_id"] == group["cluster_id"].iloc[0], "model_count"].nlargest(LABELS_PER_CLUSTER)
        assert sorted(group["model_count"]) == sorted(top)
    assert len(_labelled(pc.head(LABEL_ALL_MAX))) == LABEL_ALL_MAX
