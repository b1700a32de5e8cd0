"""The demand (DFU) domain end to end, on the warehouse built by `make dbt-test`.

Labels are compared with the planted archetypes (demo_truth_dfu, read by no
model); counts are compared with an independent pandas reading of the raw file.
"""

from __future__ import annotations

import pandas as pd
import planted
import pytest
import row_scores_check

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def truth(raw_dir) -> pd.DataFrame:
    return pd.read_parquet(raw_dir / "demo_truth_dfu.parquet")


@pytest.fixture(scope="module")
def raw_sales(raw_dir) -> pd.DataFrame:
    return pd.read_parquet(raw_dir / "fact_sales_monthly.parquet")


def test_labels_agree_with_planted_archetypes(query, raw_dir):
    accuracy, n = planted.dfu_label_accuracy(query, raw_dir)
    print(f"label accuracy vs planted archetypes: {accuracy:.3f} on {n} DFUs")
    assert accuracy >= planted.MIN_DFU_LABEL_ACCURACY


def test_every_dfu_with_history_is_assigned_and_the_rest_quarantined(query, truth):
    dim = query("select dfu_id, cluster_assignment, quarantine_reason from dim_dfu").merge(
        truth, on="dfu_id", validate="one_to_one")
    assert len(dim) == len(truth)
    short = dim[dim["is_short_history"]]
    full = dim[~dim["is_short_history"]]
    assert full["cluster_assignment"].notna().all()
    assert full["quarantine_reason"].isna().all()
    assert short["cluster_assignment"].isna().all()
    assert (short["quarantine_reason"] == "fewer_than_min_months").all()
    assert len(short) > 0


def test_sales_rows_are_counted_or_quarantined(query, raw_sales):
    usable = query("select count(*) as n from stg_sales_monthly")["n"].item()
    quarantined = query("select count(*) as n from stg_sales_monthly_quarantine")["n"].item()
    assert usable + quarantined == len(raw_sales)


def test_quarantine_reasons_match_an_independent_reading(query, raw_sales):
    missing = raw_sales["dfu_id"].isna()
    negative = ~missing & (raw_sales["demand"] < 0)
    clean = raw_sales[~missing & ~negative]
    extra = clean.duplicated(["dfu_id", "month"], keep=False)
    groups = clean[extra].groupby(["dfu_id", "month"])["demand"]
    exact = int((groups.size() - groups.nunique()).sum())
    conflicting = int(extra.sum()) - int(groups.ngroups) - exact
    expected = {"missing_dfu_id": int(missing.sum()), "negative_demand": int(negative.sum()),
                "duplicate_row": exact, "conflicting_duplicate_dfu_month": conflicting}
    got = query(
        "select quarantine_reason, count(*) as n from stg_sales_monthly_quarantine group by 1"
    ).set_index("quarantine_reason")["n"].to_dict()
    assert {k: v for k, v in expected.items() if v} == got


def test_k_selection_explains_the_choice(query):
    table = query("select * from dfu_k_selection order by k")
    assert table["k"].tolist() == list(range(3, 13))
    chosen = table[table["is_chosen"]]
    assert len(chosen) == 1 and chosen["is_eligible"].item()
    rule = chosen["selection_rule"].item()
    assert rule.startswith("vote: elbow=") and rule.endswith(f"-> {chosen['k'].item()}")
    assert table["gap"].notna().all() and (table["gap_sd"] > 0).all()


def test_summary_matches_assignments(query):
    summary = query("select cluster_assignment, dfu_count, avg_demand from dfu_cluster_summary")
    expected = query(
        "select a.cluster_assignment, count(*) as dfu_count, avg(f.mean_demand) as avg_demand "
        "from dfu_cluster_assignments a join dfu_features f using (dfu_id) group by 1"
    )
    merged = summary.merge(expected, on="cluster_assignment", suffixes=("", "_expected"))
    assert len(merged) == len(summary) == len(expected)
    assert (merged["dfu_count"] == merged["dfu_count_expected"]).all()
    assert (merged["avg_demand"] - merged["avg_demand_expected"]).abs().max() < 1e-9


def test_assignments_carry_the_row_scores(query):
    """distance, normalized_distance, margin, second_cluster_id: typed, recomputed from the features and the scaler."""
    rows = row_scores_check.check(query, "dfu_cluster_assignments", "dfu_id", "dfu_features", "dfu_scaler_params")
    assert query("select distinct algorithm from dfu_k_selection")["algorithm"].tolist() == ["kmeans"]
    assert (rows["margin"] >= 0).all()  # k-means: the own centre is the nearest
