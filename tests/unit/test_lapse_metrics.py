"""Tests of the lapse evaluation's labels, baselines and metrics (``benchmarks.lapse_metrics``) on hand-made rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from benchmarks.lapse_eval import MissingMart, require_mart
from benchmarks.lapse_metrics import (
    calibration_orders,
    customer_history,
    lead_times,
    outcome_labels,
    precision_at,
    recipe_scores,
    usable_orders,
)
from cluster_marts.demo.customers_params import ORDERS_SCHEMA

T = pd.Timestamp
CUT = T("2026-03-01")


def raw_orders() -> pd.DataFrame:
    rows = [  # order_id, customer_id, ordered_at, amount, item_count, is_returned, returned_at
        ("O1", "A", T("2026-01-01 10:00"), 10.0, 1, True, T("2026-01-05")),
        ("O2", "A", T("2026-02-20 09:00"), 12.0, 1, True, T("2026-03-03")),      # returned after the cut
        ("O3", "A", T("2026-03-10 08:00"), 11.0, 1, False, pd.NaT),              # after the cut
        ("O4", "B", T("2026-01-15 12:00"), 5.0, 2, False, pd.NaT),
        ("O4", "B", T("2026-01-16 12:00"), 5.0, 2, False, pd.NaT),                # duplicate order_id
        ("O5", "B", T("2026-01-15 18:00"), 7.0, 1, False, pd.NaT),                # same day as O4
        ("O6", "C", T("2026-02-27 12:00"), -1.0, 1, False, pd.NaT),               # negative amount
        ("O7", None, T("2026-02-01 12:00"), 3.0, 1, False, pd.NaT),
        ("O8", "C", T("2026-02-10 06:00"), 4.0, 1, False, pd.NaT),
        ("O9", "C", T("2026-05-31 06:00"), 4.0, 1, False, pd.NaT),                # after the 90-day window
    ]
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "ordered_at", "amount", "item_count",
                                        "is_returned", "returned_at"])
    frame["product_category"] = "kits"
    return frame[ORDERS_SCHEMA.names]


def test_usable_orders_follow_staging_rules() -> None:
    usable = usable_orders(raw_orders())
    assert sorted(usable["customer_id"] + usable["ordered_at"].dt.strftime("%m-%d")) == [
        "A01-01", "A02-20", "A03-10", "B01-15", "B01-15", "C02-10", "C05-31"]


def test_calibration_file_has_no_future_order_or_return() -> None:
    table = pa.Table.from_pandas(raw_orders(), schema=ORDERS_SCHEMA, preserve_index=False)
    cut = calibration_orders(table, CUT).to_pandas().set_index("order_id")
    assert cut.index.tolist() == ["O1", "O2", "O4", "O4", "O5", "O6", "O7", "O8"]
    assert cut.loc["O1", "is_returned"] and cut.loc["O1", "returned_at"] == T("2026-01-05")
    assert not cut.loc["O2", "is_returned"] and pd.isna(cut.loc["O2", "returned_at"])


def test_labels_and_history() -> None:
    usable = usable_orders(raw_orders())
    labels = outcome_labels(usable, CUT, 90)
    assert labels.to_dict() == {"A": False, "B": True, "C": True}      # C's next order is on day 91
    assert outcome_labels(usable, CUT, 92)["C"] == False  # noqa: E712
    history = customer_history(usable, CUT)
    assert history.loc["A"].tolist() == [1, 50, 59, pytest.approx(8 + 15 / 24)]
    assert history.loc["B"].tolist() == [0, 0, 45, pytest.approx(44 + 6 / 24)]


def test_precision_at_breaks_ties_by_customer_id() -> None:
    label = pd.Series([True, False, False, True], index=["a", "b", "c", "d"])
    score = pd.Series([0.5, 0.9, 0.5, 0.1], index=label.index)
    assert precision_at(label, score, 0.25) == 0.0                         # b
    assert precision_at(label, score, 0.5) == 0.5                          # b, then a (tied with c, first by id)
    assert precision_at(label, score, 0.01) == 0.0                         # at least one customer


def test_lead_times_count_the_first_flag_within_the_final_silence() -> None:
    truth = pd.DataFrame({"customer_id": ["L1", "L2", "L3", "L4", "X"],
                          "is_lapser": [True, True, True, True, False],
                          "lapse_start": [T("2026-01-10"), T("2026-01-20"), T("2026-03-15"), T("2026-02-01"), pd.NaT]})
    last_order = pd.Series({"L1": T("2026-01-09"), "L2": T("2026-01-19"), "L3": T("2026-03-14"),
                            "L4": T("2026-02-27 23:00"), "X": T("2026-02-01")})
    flags = pd.DataFrame({"customer_id": ["L1", "L1", "L1", "L2", "X", "L4"],
                          "snapshot_date": [T("2025-12-31"), T("2026-01-31"), T("2026-02-28"), T("2026-02-28"),
                                            T("2026-01-31"), T("2026-01-31")]})
    # L1: the flag of 12-31 precedes its last order; the first within the silence is 01-31 (end 02-01)
    # L2: flagged at 02-28 (end 03-01); L3: its lapse starts after the latest snapshot (not eligible);
    # L4: eligible but only flagged before its last order
    lead = lead_times(flags, last_order, truth, T("2026-02-28"), T("2026-05-30"))
    assert lead == {"median_days": (118 + 90) / 2, "flagged": 2, "eligible": 3}


def test_recipe_counts_every_flagged_customer() -> None:
    truth = pd.DataFrame({"customer_id": ["L1", "L2", "L3", "X"], "is_lapser": [True, True, True, False],
                          "lapse_start": [T("2026-01-10"), T("2026-02-01"), T("2026-04-01"), pd.NaT]})
    scores = recipe_scores({"L1", "L3", "X", "Y"}, truth, T("2026-02-28"))
    assert scores == {"flagged": 4, "due": 2, "true_positives": 1, "precision": 0.25, "recall": 0.5}


def test_evaluation_refuses_a_project_without_the_mart(tmp_path: Path) -> None:
    (tmp_path / "models" / "marts").mkdir(parents=True)
    (tmp_path / "models" / "marts" / "customer_drift.sql").write_text("select 1")
    with pytest.raises(MissingMart, match="no model of that name"):
        require_mart(tmp_path)
    (tmp_path / "models" / "marts" / "customer_lapse_risk.sql").write_text("select 1")
    require_mart(tmp_path)
