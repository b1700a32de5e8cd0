"""Workbench HTML report: pages, figures and tables from a small warehouse of two specs."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.datasets import make_blobs

from cluster_marts.adapters.workbench.analysis import run_spec
from cluster_marts.adapters.workbench.datasets import read_source
from cluster_marts.config.spec import load_spec
from cluster_marts.reporting.workbench import FIGURE_FILES, MARTS, run_workbench_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SPECS = {
    "blobs_kmeans": {"algorithm": {"name": "kmeans"}, "n_clusters": 3,
                     "preprocessing": {"outliers": {"method": "zscore", "z": 2.5}},
                     "figures": ["scatter", "silhouette", "heatmap"]},
    "blobs_tree": {"algorithm": {"name": "agglomerative", "params": {"linkage": "ward"}}, "k_range": [2, 5],
                   "metrics": ["silhouette", "ari", "nmi"],
                   "figures": ["scatter", "silhouette", "heatmap", "dendrogram"]},
}


def _write_specs(root: Path) -> None:
    X, y = make_blobs(120, centers=[[0, 0, 0], [6, 0, 2], [3, 6, -2]], cluster_std=0.8, random_state=5)
    X[:2] = [[18.0, 18.0, 9.0], [-14.0, 15.0, -9.0]]  # two far-away rows, flagged as outliers
    (root / "data").mkdir()
    pd.DataFrame({"pid": np.arange(1, 121), "a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "truth": y}) \
        .to_parquet(root / "data" / "blobs.parquet", index=False)
    (root / "specs").mkdir()
    for name, extra in SPECS.items():
        raw = {"name": name, "source": {"path": "data/blobs.parquet", "format": "parquet"}, "id_column": "pid",
               "features": ["a", "b", "c"], "target": "truth", "compare": ["kmeans", "agglomerative", "dbscan"],
               "random_state": 7} | extra
        (root / "specs" / f"{name}.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")


def _build_warehouse(root: Path, db: Path, skip: str | None = None) -> None:
    runs = {}
    for path in sorted((root / "specs").glob("*.yml")):
        spec = load_spec(path)
        runs[spec.name] = run_spec(spec, read_source(spec, root))
    con = duckdb.connect(str(db))
    try:
        for mart in MARTS:
            if mart == skip:
                continue
            table = mart.removeprefix("workbench_")
            frame = pd.concat([t[table].assign(spec_name=name) for name, t in runs.items()], ignore_index=True)
            frame = frame[["spec_name", *[c for c in frame.columns if c != "spec_name"]]]
            con.register("frame_view", frame)
            con.execute(f"create table main.{mart} as select * from frame_view")
            con.unregister("frame_view")
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, int]:
    root = tmp_path_factory.mktemp("workbench")
    _write_specs(root)
    db = root / "warehouse.duckdb"
    _build_warehouse(root, db)
    out = root / "reports"
    code = run_workbench_report(db, out, specs_dir=root / "specs", root=root)
    return root, out, code


def test_report_writes_a_page_per_spec(built):
    _, out, code = built
    assert code == 0
    assert (out / "index.html").exists()
    for name in SPECS:
        assert f'href="{name}/index.html"' in (out / "index.html").read_text(encoding="utf-8")
        assert (out / name / "index.html").exists()


@pytest.mark.parametrize("name", list(SPECS))
def test_page_links_every_figure_of_the_spec_and_pngs_are_valid(built, name):
    _, out, _ = built
    page = (out / name / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', page)
    expected = [FIGURE_FILES[key] for key in SPECS[name]["figures"]]
    assert sources == expected
    for file in expected:
        data = (out / name / file).read_bytes()
        assert data.startswith(PNG_MAGIC), file
        assert len(data) > 5_000, f"{file} is only {len(data)} bytes"
    assert "<script" not in page.lower()
    if name == "blobs_kmeans":
        assert not (out / name / FIGURE_FILES["dendrogram"]).exists()


@pytest.mark.parametrize("name", list(SPECS))
def test_page_shows_recommendation_ari_and_tables(built, name):
    root, out, _ = built
    page = (out / name / "index.html").read_text(encoding="utf-8")
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        best = con.execute("select algorithm, reason from workbench_comparison where spec_name = ? "
                           "and is_recommended", [name]).fetchone()
        ari = con.execute("select value from workbench_metrics where spec_name = ? and metric = 'ari'",
                          [name]).fetchone()[0]
        top = con.execute("select id from workbench_assignments where spec_name = ? "
                          "order by outlier_score desc nulls last, id limit 1", [name]).fetchone()[0]
    finally:
        con.close()
    assert f"Recommended: {best[0]}" in page
    assert '<tr class="recommended"><td>' + best[0] + "</td>" in page
    assert best[1].replace("'", "&#x27;") in page
    assert f"{ari:.4g}" in page and ">ari<" in page
    for title in ("Spec", "Metrics", "Clusters", "Feature importance", "Representatives", "Outliers",
                  "Algorithm comparison", "Suggestions", "Interpretation", "Figures"):
        assert f"<h2>{title}</h2>" in page
    if name == "blobs_kmeans":  # zscore outliers: the most anomalous row is listed
        assert f"<td>{top}</td>" in page


def test_missing_mart_returns_1(tmp_path, capsys):
    _write_specs(tmp_path)
    db = tmp_path / "partial.duckdb"
    _build_warehouse(tmp_path, db, skip="workbench_comparison")
    assert run_workbench_report(db, tmp_path / "out", specs_dir=tmp_path / "specs", root=tmp_path) == 1
    err = capsys.readouterr().err
    assert "workbench_comparison" in err and "run `make build` first" in err
    assert run_workbench_report(tmp_path / "nope.duckdb", tmp_path / "out", specs_dir=tmp_path / "specs") == 1
    assert "run `make build` first" in capsys.readouterr().err


def test_landing_page_joins_the_site_with_a_row_per_spec(built):
    """reports/workbench/index.html: the site's navigation (hrefs up one folder), one row per spec with its
    source, rows, algorithm, clusters found, silhouette and ARI, the spec's name linking its page."""
    root, out, _ = built
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<nav class="site">' in page and 'href="../index.html"' in page and 'href="../providers.html"' in page
    assert '<a href="../workbench/index.html" class="active">Workbench</a>' in page
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        for name in SPECS:
            sil, ari = (con.execute("select value from workbench_metrics where spec_name = ? and metric = ?",
                                    [name, metric]).fetchone()[0] for metric in ("silhouette", "ari"))
            k = con.execute("select count(distinct cluster_id) from workbench_assignments where spec_name = ? "
                            "and cluster_id >= 0", [name]).fetchone()[0]
            algorithm = SPECS[name]["algorithm"]["name"]
            row = re.search(rf'<tr><td><a href="{name}/index.html">{name}</a></td>(.*?)</tr>', page).group(1)
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
            assert cells[:4] == ["file data/blobs.parquet", "120", algorithm, str(k)]
            assert cells[4].startswith(f"{sil:.4g} ") and cells[5] == f"{ari:.4g}"
    finally:
        con.close()


def test_landing_rows_leave_ari_out_without_a_target(built):
    from dataclasses import replace

    from cluster_marts.reporting.workbench import load_specs, load_workbench_marts
    from cluster_marts.reporting.workbench.html import landing_rows

    root, _, _ = built
    specs = load_specs(root / "specs")
    specs["blobs_kmeans"] = replace(specs["blobs_kmeans"], target=None)
    rows = landing_rows(specs, load_workbench_marts(root / "warehouse.duckdb")).set_index("spec")
    assert pd.isna(rows.loc["blobs_kmeans", "ari"]) and rows.loc["blobs_tree", "ari"] > 0.5
    assert rows["rows"].tolist() == [120, 120]


def test_the_spec_summary_names_its_source():
    from cluster_marts.config.spec import parse_spec
    from cluster_marts.reporting.workbench.html import _summary

    base = {"name": "toy", "id_column": "id", "features": ["a"], "algorithm": {"name": "kmeans"}}
    for source, shown in (({"ref": "customer_features"}, "dbt ref customer_features"),
                          ({"source": ["raw", "wine"]}, "dbt source raw.wine"), ({"path": "x.csv"}, "x.csv (csv)")):
        assert f"<dt>source</dt><dd>{shown}</dd>" in _summary(parse_spec({**base, "source": source}))
