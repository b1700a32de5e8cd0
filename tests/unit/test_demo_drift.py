"""Tests of the planted drift of the customer demo (``cluster_marts.demo.drift``)."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cluster_marts.demo import write_tables
from cluster_marts.demo.customers import FILES, MONTH_START, build_orders, generate, rate_curves
from cluster_marts.demo.drift import DRIFT_PERSONAS, Drift, choose_drifters, drifted_curves, n_drifters

Demo = dict[str, pd.DataFrame]
MIN_ORDERS_BEFORE = 8          # orders in the 90 days before the lapse (the least active drifter has 11)
COLUMNS = ["customer_id", "is_drifter", "persona", "drift_start", "drift_kind"]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The small customers demo, seed 42, written and read back from Parquet."""
    out = tmp_path_factory.mktemp("demo")
    write_tables(generate("small", 42), out)
    return {name.removesuffix(".parquet"): pd.read_parquet(out / name) for name in FILES}


def drifter_orders(demo: Demo) -> pd.DataFrame:
    """Every order row of a drifter (bad rows included) with its ``drift_start`` as a timestamp."""
    truth = demo["demo_truth_drift"].set_index("customer_id")
    starts = pd.to_datetime(truth.loc[truth["is_drifter"], "drift_start"])
    orders = demo["customer_orders"]
    rows = orders[orders["customer_id"].isin(starts.index)].copy()
    rows["drift_start"] = rows["customer_id"].map(starts)
    return rows


def test_files_and_schema(small: Demo) -> None:
    assert FILES[-1] == "demo_truth_drift.parquet"
    truth = small["demo_truth_drift"]
    assert list(truth.columns) == COLUMNS
    assert truth["is_drifter"].dtype == bool
    assert all(v is None or type(v) is datetime.date for v in truth["drift_start"])   # a date, no time
    drifters = truth[truth["is_drifter"]]
    assert drifters["drift_start"].notna().all() and (drifters["drift_kind"] == "lapsing").all()
    assert truth.loc[~truth["is_drifter"], ["drift_start", "drift_kind"]].isna().all().all()


def test_truth_covers_every_customer(small: Demo) -> None:
    truth, personas = small["demo_truth_drift"], small["demo_truth_customers"]
    assert truth["customer_id"].is_unique
    assert truth["customer_id"].tolist() == personas["customer_id"].tolist()
    assert truth["persona"].tolist() == personas["persona"].tolist()


def test_exact_drifter_count_and_eligibility(small: Demo) -> None:
    truth = small["demo_truth_drift"]
    drifters = truth[truth["is_drifter"]]
    assert len(drifters) == n_drifters(2_000, 10_000) == 60
    assert set(drifters["persona"]) <= set(DRIFT_PERSONAS)
    first = small["customer_orders"].dropna(subset=["customer_id", "ordered_at"]).groupby("customer_id")[
        "ordered_at"].min()
    assert (first.loc[drifters["customer_id"]] < pd.Timestamp("2025-11-01")).all()   # started in months 0..11
    starts = set(pd.to_datetime(drifters["drift_start"]))
    assert starts <= {pd.Timestamp(f"2026-{m:02d}-01") for m in (6, 7, 8, 9)}
    assert len(starts) >= 3                                      # spread over the lapse months


def test_drifter_count_scales_and_is_capped() -> None:
    assert n_drifters(20_000, 5_000) == 600 and n_drifters(100_000, 8_000) == 3_000
    assert n_drifters(100_000, 2_500) == 2_500
    assert n_drifters(2_000, 0) == 0


def test_drifters_lapse_completely(small: Demo) -> None:
    rows = drifter_orders(small)
    assert rows["ordered_at"].notna().any()
    assert not (rows["ordered_at"] >= rows["drift_start"]).any()     # not even a planted bad row


def test_drifters_were_active_before_the_lapse(small: Demo) -> None:
    rows = drifter_orders(small)
    recent = rows[(rows["ordered_at"] < rows["drift_start"])
                  & (rows["ordered_at"] >= rows["drift_start"] - pd.Timedelta(days=90))]
    per = recent.drop_duplicates().groupby("customer_id").size()
    drifters = small["demo_truth_drift"].query("is_drifter")["customer_id"]
    assert per.reindex(drifters, fill_value=0).min() >= MIN_ORDERS_BEFORE


def test_others_are_unchanged_without_drift(small: Demo) -> None:
    plain_orders, plain_truth, plain_drift = (t.to_pandas() for t in build_orders(2_000, 42, drift=False))
    assert not plain_drift["is_drifter"].any() and plain_drift["drift_start"].isna().all()
    assert plain_truth.equals(small["demo_truth_customers"])
    drifters = set(small["demo_truth_drift"].query("is_drifter")["customer_id"])
    columns = [c for c in plain_orders.columns if c != "order_id"]     # ids renumber after the dropped orders

    def others(orders: pd.DataFrame) -> pd.DataFrame:
        return orders.loc[~orders["customer_id"].isin(drifters), columns].reset_index(drop=True)

    pd.testing.assert_frame_equal(others(small["customer_orders"]), others(plain_orders))
    plain = plain_orders[plain_orders["customer_id"].isin(drifters)]
    assert len(plain) > len(drifter_orders(small))                 # the drifters did lose orders
    for kind in ("amount < 0", "customer_id.isna()", "ordered_at.isna()"):
        assert len(small["customer_orders"].query(kind)) == len(plain_orders.query(kind))
    assert small["customer_orders"].duplicated().sum() == plain_orders.duplicated().sum()


def test_drifted_curves_zero_the_lapsed_months() -> None:
    personas = np.array(["super_engaged", "enterprise", "one_time"], dtype=object)
    start_day = np.array([10, 40, 100])
    rates = rate_curves(personas, start_day, np.random.default_rng(0))
    drift = Drift(np.array([True, False, False]), np.array([20, -1, -1]), MONTH_START)
    curves = drifted_curves(rates, drift)
    assert (curves[0, 20:] == 0).all() and np.array_equal(curves[0, :20], rates[0, :20])
    assert np.array_equal(curves[1:], rates[1:])
    assert drift.start_day.tolist() == [MONTH_START[20], MONTH_START[-1], MONTH_START[-1]]
    assert drift.keep(np.array([0, 0, 1]), np.array([MONTH_START[20] - 1, MONTH_START[20], 729])).tolist() == [
        True, False, True]


def test_choice_is_seeded_and_independent_of_the_main_stream() -> None:
    personas = np.array(["super_engaged"] * 50 + ["one_time"] * 50, dtype=object)
    start = np.arange(100) * 3
    a, b = (choose_drifters(personas, start, MONTH_START, 5) for _ in range(2))
    assert np.array_equal(a.is_drifter, b.is_drifter) and np.array_equal(a.start_month, b.start_month)
    assert a.is_drifter.sum() == 3 and not a.is_drifter[50:].any()
    assert not choose_drifters(personas, start, MONTH_START, 5, enabled=False).is_drifter.any()


def test_same_seed_same_drift(tmp_path: Path, small: Demo) -> None:
    write_tables(generate("small", 42), tmp_path)
    assert pd.read_parquet(tmp_path / "demo_truth_drift.parquet").equals(small["demo_truth_drift"])
    other = generate("small", 7)["demo_truth_drift.parquet"].to_pandas()
    assert other["is_drifter"].sum() == 60
    assert not other["customer_id"][other["is_drifter"]].equals(
        small["demo_truth_drift"]["customer_id"][small["demo_truth_drift"]["is_drifter"]])
