"""Tests of the lapse evaluation's second order generator (``benchmarks.lapse_generator``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from benchmarks import lapse_generator
from benchmarks.lapse_generator import FIRST_DAY, HALF_LIFE_DAYS, N_DAYS, PERSONAS, generate, n_planted, write
from cluster_marts.demo.customers_params import ORDERS_SCHEMA

N_CUSTOMERS = 2_000
SEED = 11


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Orders and truth, written to Parquet and read back."""
    out = write(tmp_path_factory.mktemp("lapse_gen"), N_CUSTOMERS, SEED)
    assert pq.read_schema(out / "customer_orders.parquet").equals(ORDERS_SCHEMA)
    orders = pd.read_parquet(out / "customer_orders.parquet")
    truth = pd.read_parquet(out / "lapse_truth.parquet")
    for column in ("lapse_start", "return_date"):
        truth[column] = pd.to_datetime(truth[column])
    return orders, truth


def planted(data: tuple[pd.DataFrame, pd.DataFrame], kind: str) -> pd.DataFrame:
    """The orders of the customers of one planted kind, with their lapse start and return date."""
    orders, truth = data
    rows = truth[truth["lapse_kind"] == kind].set_index("customer_id")
    picked = orders[orders["customer_id"].isin(rows.index)].copy()
    picked["lapse_start"] = picked["customer_id"].map(rows["lapse_start"])
    picked["return_date"] = picked["customer_id"].map(rows["return_date"])
    return picked


def test_exact_planted_counts(data) -> None:
    _, truth = data
    assert n_planted(N_CUSTOMERS) == 30
    assert truth["lapse_kind"].value_counts().to_dict() == {"abrupt": 30, "gradual": 30, "pause_return": 30}
    assert int(truth["is_lapser"].sum()) == 60
    assert set(truth.loc[truth["is_lapser"], "lapse_kind"]) == {"abrupt", "gradual"}
    assert truth.loc[truth["lapse_kind"].isna(), ["lapse_start", "return_date"]].isna().all().all()
    assert set(truth.loc[truth["lapse_kind"].notna(), "persona"]) <= {"monthly", "weekly"}
    expected = {name: round(share * N_CUSTOMERS) for name, (share, *_) in PERSONAS.items()}
    assert truth["persona"].value_counts().to_dict() == expected


def test_every_customer_orders_and_ids_are_unique(data) -> None:
    orders, truth = data
    assert orders["order_id"].is_unique
    assert set(orders["customer_id"]) == set(truth["customer_id"])
    assert orders["ordered_at"].is_monotonic_increasing
    window_end = pd.Timestamp(FIRST_DAY) + pd.Timedelta(days=N_DAYS)
    assert orders["ordered_at"].min() >= pd.Timestamp(FIRST_DAY) and orders["ordered_at"].max() < window_end
    returned = orders["is_returned"]
    assert orders.loc[returned, "returned_at"].gt(orders.loc[returned, "ordered_at"]).all()
    assert orders.loc[~returned, "returned_at"].isna().all()
    one_shot = truth.loc[truth["persona"] == "one_shot", "customer_id"]
    assert orders[orders["customer_id"].isin(one_shot)].groupby("customer_id").size().eq(1).all()


def test_abrupt_lapsers_never_order_from_their_start(data) -> None:
    rows = planted(data, "abrupt")
    assert (rows["ordered_at"] < rows["lapse_start"]).all()
    assert rows["customer_id"].nunique() == 30              # each ordered before the lapse


def test_gradual_lapsers_halve_month_by_month() -> None:
    """Orders per gradual lapser in each 30-day month around the start, over the lapsers whose month is
    inside the window (6 000 customers: 90 gradual lapsers)."""
    orders, truth = (table.to_pandas() for table in generate(6_000, SEED))
    lapsers = truth[truth["lapse_kind"] == "gradual"].set_index("customer_id")
    start = pd.to_datetime(lapsers["lapse_start"])
    rows = orders[orders["customer_id"].isin(lapsers.index)]
    month = (rows["ordered_at"] - rows["customer_id"].map(start)).dt.days // HALF_LIFE_DAYS
    window_end = pd.Timestamp(FIRST_DAY) + pd.Timedelta(days=N_DAYS)

    def per_customer(k: int) -> float:
        exposed = start.index[start + pd.Timedelta(days=HALF_LIFE_DAYS * (k + 1)) <= window_end]
        return float(((month == k) & rows["customer_id"].isin(exposed)).sum() / exposed.size)

    before = np.mean([per_customer(k) for k in (-3, -2, -1)])
    after = [per_customer(k) for k in range(3)]
    assert before > after[0] > after[1] > after[2]
    # a half-life of one month: the first month after the start keeps (1 - 1/2) / ln 2 = 72 % of the rate
    assert after[0] / before == pytest.approx(0.72, abs=0.2)
    assert after[1] / after[0] == pytest.approx(0.5, abs=0.2)
    assert after[2] / after[1] == pytest.approx(0.5, abs=0.3)


def test_pauses_return_before_the_window_ends(data) -> None:
    rows = planted(data, "pause_return")
    paused = (rows["ordered_at"] >= rows["lapse_start"]) & (rows["ordered_at"] < rows["return_date"])
    assert not paused.any()
    back = rows[rows["ordered_at"].dt.normalize() == rows["return_date"]]
    assert back["customer_id"].nunique() == 30                      # every pauser orders on the return day
    assert (rows.groupby("customer_id")["return_date"].first()
            < pd.Timestamp(FIRST_DAY) + pd.Timedelta(days=N_DAYS)).all()


def test_seasonality_weekly_and_yearly(data) -> None:
    orders, truth = data
    weekday = orders["ordered_at"].dt.day_of_week.value_counts(normalize=True)
    assert weekday.idxmax() == 5 and weekday[5] > 1.3 * weekday[0]          # Saturday busiest, Monday quiet
    gifters = truth.loc[truth["persona"] == "gifter", "customer_id"]
    gift_months = orders.loc[orders["customer_id"].isin(gifters), "ordered_at"].dt.month
    assert gift_months.isin([11, 12, 1]).mean() > 2 * 3 / 12                # over twice a uniform share


def test_deterministic_by_seed() -> None:
    first, truth = generate(500, 3)
    again, truth_again = generate(500, 3)
    other, _ = generate(500, 4)
    assert first.equals(again) and truth.equals(truth_again)
    assert not first.equals(other)
    assert np.isclose(first.num_rows, other.num_rows, rtol=0.3)


def test_spend_heterogeneity_comes_from_its_own_stream(monkeypatch):
    """The per-customer spend multipliers change the amounts only: every other column and the truth are the
    draws they were without them."""
    orders, truth = lapse_generator.generate(300, 7)
    monkeypatch.setattr(lapse_generator, "spend_multipliers", lambda n, seed: np.ones(n))
    plain_orders, plain_truth = lapse_generator.generate(300, 7)
    assert truth.equals(plain_truth)
    assert orders.drop_columns(["amount"]).equals(plain_orders.drop_columns(["amount"]))
    spend = orders.to_pandas().groupby("customer_id")["amount"].median()
    plain = plain_orders.to_pandas().groupby("customer_id")["amount"].median()
    assert (spend / plain).std() > 0.2         # customers differ within their persona
