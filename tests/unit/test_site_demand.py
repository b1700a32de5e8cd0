"""The demand page of the report site, on a hand-made warehouse of three clusters with known members and demand."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cluster_marts.reporting.site import demand
from cluster_marts.reporting.site.data import Marts

MONTHS = [date(2025, m, 1) for m in (1, 2, 3, 4)]
#: dfu -> (cluster_id, distance to centroid, demand per month of MONTHS; None = before its first sale)
MEMBERS: dict[str, tuple[int, float, list[float | None]]] = {
    "DFU-A1": (0, 0.1, [10, 10, 10, 10]),
    "DFU-A2": (0, 0.2, [5, 15, 5, 15]),
    "DFU-A3": (0, 0.3, [0, 20, 20, 0]),
    "DFU-B1": (1, 0.5, [4, 4, 8, 8]),
    "DFU-B2": (1, 0.4, [1, 2, 3, 4]),
    "DFU-B3": (1, 0.9, [0, 0, 0, 0]),  # no mean to divide by: left out of the curves
    "DFU-B4": (1, 0.6, [None, None, 6, 2]),  # shorter history: counts in its own months only
    "DFU-C1": (2, 0.05, [30, 10, 10, 30]),
    "DFU-C2": (2, 0.15, [20, 20, 40, 40]),
}
LABELS = pd.DataFrame({
    "cluster_id": [0, 1, 2], "run_id": "r1",
    "cluster_assignment": ["steady_low_1", "steady_low_2", "seasonal_high"],
    "cluster_label": ["steady_low", "steady_low", "seasonal_high"],
    "pattern": ["steady", "steady", "seasonal"], "volume_tier": ["low", "low", "high"],
    "dfu_count": [3, 4, 2], "avg_demand": [10.0, 3.5, 25.0], "cv_demand": [0.5, 0.8, 0.4]})
K_SELECTION = pd.DataFrame({
    "k": [2, 3, 4], "inertia": [90.0, 40.0, 30.0], "silhouette": [0.41, 0.6125, 0.55],
    "calinski_harabasz": [10.0, 20.0, 15.0], "davies_bouldin": [0.9, 0.6, 0.7], "gap": [0.3, 0.5, 0.6],
    "gap_sd": [0.05, 0.04, 0.05], "smallest_cluster_share": [0.4, 0.22, 0.1], "is_eligible": [True, True, True],
    "is_knee": [True, False, False], "is_silhouette_best": [False, True, False], "is_gap_best": [False, False, True],
    "is_combined_best": [False, False, True], "is_chosen": [False, True, False],
    "selection_rule": "vote: elbow=2, silhouette=3, gap=4 -> 3", "silhouette_method": "full",
    "algorithm": "kmeans", "features_used": "log_mean_demand,cv_demand"})
QUARANTINE = pd.DataFrame({"dfu_id": ["DFU-Q2", "DFU-Q1", "DFU-Q3"],
                           "quarantine_reason": ["fewer_than_min_months", "fewer_than_min_months",
                                                 "no_sales_in_window"],
                           "months_of_history": [3, 5, 0]})


def _warehouse(path: Path, quarantine: pd.DataFrame = QUARANTINE, dim_columns: tuple[str, ...] = ("brand",),
               k_selection: pd.DataFrame = K_SELECTION) -> Path:
    ids = list(MEMBERS)
    assignments = pd.DataFrame({
        "dfu_id": ids, "cluster_id": [MEMBERS[d][0] for d in ids],
        "cluster_assignment": [LABELS.set_index("cluster_id").loc[MEMBERS[d][0], "cluster_assignment"] for d in ids],
        "distance_to_centroid": [MEMBERS[d][1] for d in ids]})
    window = pd.DataFrame([{"dfu_id": d, "sales_month": m, "demand": float(v)} for d, (_, _, series) in MEMBERS.items()
                           for m, v in zip(MONTHS, series) if v is not None])
    dim = pd.DataFrame({"dfu_id": ids + list(quarantine["dfu_id"])})
    for column in dim_columns:
        dim[column] = [f"{column} of {d}" for d in dim["dfu_id"]]
    tables = {"dfu_k_selection": k_selection, "dfu_cluster_labels": LABELS,
              "dfu_cluster_summary": LABELS[["cluster_id"]].assign(dfu_share=LABELS["dfu_count"] / 9),
              "dfu_cluster_assignments": assignments, "int_dfu_demand_window": window,
              "dfu_features_quarantine": quarantine, "dim_dfu": dim}
    con = duckdb.connect(str(path))
    for name, frame in tables.items():
        con.register("frame", frame)
        con.execute(f"create table {name} as select * from frame")
        con.unregister("frame")
    con.close()
    return path


def _rows(html: str) -> list[tuple[str, ...]]:
    """Every table row of the page as a tuple of its cell texts."""
    return [tuple(unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row))
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html)]


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("demand")
    with Marts(_warehouse(tmp / "w.duckdb")) as marts:
        return demand.build(marts, tmp / "site"), tmp / "site"


def test_lead_names_the_dfus_the_chosen_k_its_rule_and_silhouette(built):
    text = _text(built[0])
    assert "9 DFUs (demand forecasting units) are clustered" in text
    assert "k = 3 clusters carrying 2 distinct labels" in text
    assert "kmeans on 2 features: log_mean_demand, cv_demand" in text
    assert "3 more DFUs are in quarantine" in text
    assert "chosen by the rule vote: elbow=2, silhouette=3, gap=4 -> 3" in text
    assert "Mean silhouette at k = 3: 0.6125 (reasonable structure; silhouette full)" in text


def test_k_selection_table_shows_every_k_and_what_picked_it(built):
    rows = _rows(built[0])
    assert ("2", "90", "0.41", "10", "0.9", "0.3", "0.05", "40.0%", "yes", "elbow (knee)") in rows
    assert ("3", "40", "0.6125", "20", "0.6", "0.5", "0.04", "22.0%", "yes", "best silhouette, chosen k") in rows
    assert ("4", "30", "0.55", "15", "0.7", "0.6", "0.05", "10.0%", "yes", "gap rule, combined score") in rows
    assert re.search(r'<tr class="recommended"><td class="num">3</td>', built[0])


def test_clusters_show_label_pattern_tier_size_and_share(built):
    rows = _rows(built[0])
    assert ("0", "steady_low_1", "steady_low", "steady", "low", "3", "33.3%", "10", "0.5") in rows
    assert ("1", "steady_low_2", "steady_low", "steady", "low", "4", "44.4%", "3.5", "0.8") in rows
    assert ("2", "seasonal_high", "seasonal_high", "seasonal", "high", "2", "22.2%", "25", "0.4") in rows


def test_labels_sum_the_clusters_that_carry_them(built):
    rows = _rows(built[0])
    assert ("steady_low", "steady", "low", "2", "7", "77.8%") in rows
    assert ("seasonal_high", "seasonal", "high", "1", "2", "22.2%") in rows


def test_examples_are_the_three_nearest_dfus_of_each_cluster_with_their_description(built):
    rows = _rows(built[0])
    examples = [r for r in rows if len(r) == 5 and r[2].startswith("DFU-")]
    assert [r[2] for r in examples] == ["DFU-A1", "DFU-A2", "DFU-A3", "DFU-B2", "DFU-B1", "DFU-B4",
                                        "DFU-C1", "DFU-C2"]
    assert ("1", "steady_low_2", "DFU-B2", "0.4", "brand of DFU-B2") in examples
    assert "DFU-B3" not in built[0]
    assert "described by dim_dfu (brand)" in _text(built[0])


def test_quarantine_counts_reasons_and_lists_the_dfus(built):
    rows = _rows(built[0])
    assert ("fewer_than_min_months", "2") in rows and ("no_sales_in_window", "1") in rows
    listed = [r for r in rows if len(r) == 3 and r[0].startswith("DFU-Q")]
    assert listed == [("DFU-Q1", "fewer_than_min_months", "5"), ("DFU-Q2", "fewer_than_min_months", "3"),
                      ("DFU-Q3", "no_sales_in_window", "0")]
    assert "3 DFU(s) were not clustered" in _text(built[0])


def test_figures_are_written_as_png_and_linked(built):
    html, site = built
    for name in ("k_selection", "cluster_curves", "label_counts"):
        relative = f"figures/demand/{name}.png"
        assert f'src="{relative}"' in html
        assert (site / relative).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_member_quantiles_equal_numpy_on_the_hand_made_rows(tmp_path):
    with Marts(_warehouse(tmp_path / "w.duckdb")) as marts:
        got = demand.member_quantiles(marts)
    expected = []
    for cluster in (0, 1, 2):
        series = {d: np.array([np.nan if v is None else v for v in s], dtype=float)
                  for d, (c, _, s) in MEMBERS.items() if c == cluster}
        ratios = np.array([s / np.nanmean(s) for s in series.values() if np.nanmean(s) > 0])
        for i, month in enumerate(MONTHS):
            column = ratios[:, i][~np.isnan(ratios[:, i])]
            q25, median, q75 = np.quantile(column, [0.25, 0.5, 0.75])
            expected.append((cluster, month, q25, median, q75, len(column)))
    expected = pd.DataFrame(expected, columns=["cluster_id", "sales_month", "q25", "median", "q75", "members"])
    assert got["cluster_id"].tolist() == expected["cluster_id"].tolist()
    assert list(pd.to_datetime(got["sales_month"]).dt.date) == expected["sales_month"].tolist()
    np.testing.assert_allclose(got[["q25", "median", "q75"]].to_numpy(float),
                               expected[["q25", "median", "q75"]].to_numpy(float), rtol=1e-12)
    assert got["members"].tolist() == expected["members"].tolist()
    # by hand: cluster 0 in January has ratios 1, 0.5, 0; cluster 1 in March has 4/3, 1.2, 1.5 (B3 left out)
    first = got.iloc[0]
    assert (first["q25"], first["median"], first["q75"]) == pytest.approx((0.25, 0.5, 0.75))
    march = got[(got["cluster_id"] == 1) & (pd.to_datetime(got["sales_month"]).dt.month == 3)].iloc[0]
    assert (march["median"], march["members"]) == (pytest.approx(4 / 3), 3)


def test_a_dim_dfu_without_descriptions_and_an_empty_quarantine_say_so(tmp_path):
    path = _warehouse(tmp_path / "w.duckdb", quarantine=QUARANTINE.iloc[0:0], dim_columns=())
    with Marts(path) as marts:
        text = _text(demand._examples_section(marts) + demand._quarantine_section(marts))
    assert "dim_dfu has no descriptive columns" in text
    assert "No DFU is in quarantine" in text


def test_a_long_quarantine_is_cut_and_says_how_many(tmp_path, monkeypatch):
    monkeypatch.setattr(demand, "QUARANTINE_ROWS", 2)
    with Marts(_warehouse(tmp_path / "w.duckdb")) as marts:
        html = demand._quarantine_section(marts)
    assert "the first 2 of 3 by id" in _text(html)
    assert "DFU-Q3" not in html


def test_no_chosen_k_is_a_warning_not_a_crash(tmp_path):
    path = _warehouse(tmp_path / "w.duckdb", k_selection=K_SELECTION.assign(is_chosen=False))
    with Marts(path) as marts:
        html = demand._lead(marts, demand._k_selection(marts))
    assert 'class="warning"' in html and "marks no chosen k" in html


def test_the_page_reads_the_demand_marts():
    assert set(demand.MARTS) == {"dfu_k_selection", "dfu_cluster_labels", "dfu_cluster_summary",
                                 "dfu_cluster_assignments", "int_dfu_demand_window", "dfu_features_quarantine",
                                 "dim_dfu"}
