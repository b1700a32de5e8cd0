"""Tests of the synthetic customer-orders demo (``cluster_marts.demo.customers``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from cluster_marts.demo import DOMAINS, expected_files, write_tables
from cluster_marts.demo.customers import (
    CATEGORIES,
    FILES,
    PERSONAS,
    generate,
    persona_counts,
    planted_counts,
)
from cluster_marts.demo.customers_traits import SPECIALIST_SHARE

Demo = dict[str, pd.DataFrame]
FIRST, END = pd.Timestamp("2024-11-01"), pd.Timestamp("2026-11-01")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The small customers demo, seed 42, written and read back from Parquet."""
    out = tmp_path_factory.mktemp("demo")
    write_tables(generate("small", 42), out)
    return read_demo(out)


def read_demo(out: Path) -> Demo:
    """The customers files written into ``out``, keyed by file stem."""
    return {name.removesuffix(".parquet"): pd.read_parquet(out / name) for name in FILES}


def clean_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """The rows a staging keeps: a customer, a timestamp, amount >= 0, one row per order."""
    usable = orders[orders["customer_id"].notna() & orders["ordered_at"].notna() & (orders["amount"] >= 0)]
    return usable.drop_duplicates()


def customer_features(orders: pd.DataFrame) -> pd.DataFrame:
    """log orders, log total and orders per month of tenure (as of the day after the last order)."""
    rows = clean_orders(orders)
    as_of = rows["ordered_at"].max().normalize() + pd.Timedelta(days=1)
    per = rows.groupby("customer_id").agg(n=("order_id", "size"), total=("amount", "sum"),
                                          first=("ordered_at", "min"))
    tenure_months = np.maximum((as_of - per["first"]).dt.total_seconds() / 86_400 / 30.44, 1.0)
    return pd.DataFrame({"log_orders": np.log(per["n"]), "log_total": np.log1p(per["total"]),
                         "orders_per_month": per["n"] / tenure_months})


def test_registry_lists_the_customers_files() -> None:
    assert "customers" in DOMAINS
    assert set(FILES) <= set(expected_files())


def test_schemas(small: Demo) -> None:
    orders, truth = small["customer_orders"], small["demo_truth_customers"]
    assert list(orders.columns) == ["order_id", "customer_id", "ordered_at", "amount", "item_count",
                                    "product_category", "is_returned", "returned_at"]
    assert str(orders["ordered_at"].dtype).startswith("datetime64")
    assert orders["amount"].dtype == "float64"
    assert orders["item_count"].dtype == "int32" and (orders["item_count"] >= 1).all()
    assert orders["is_returned"].dtype == "bool"
    returned = orders[orders["is_returned"] & orders["ordered_at"].notna()]
    delay = (returned["returned_at"] - returned["ordered_at"]).dt.total_seconds() / 86_400
    assert delay.between(3, 30).all() and orders.loc[~orders["is_returned"], "returned_at"].isna().all()
    assert set(orders["product_category"]) == set(CATEGORIES)
    assert list(truth.columns) == ["customer_id", "persona", "is_category_specialist"]
    assert truth["customer_id"].iloc[0] == "C-000001" and truth["customer_id"].is_unique


def test_planted_bad_rows_are_exact(small: Demo) -> None:
    orders = small["customer_orders"]
    assert planted_counts(2_000) == {"negative_amount": 3, "duplicates": 3, "null_customer_id": 2,
                                     "null_ordered_at": 2}
    assert (orders["amount"] < 0).sum() == 3
    assert orders.duplicated().sum() == 3
    assert orders["customer_id"].isna().sum() == 2
    assert orders["ordered_at"].isna().sum() == 2
    assert (orders["amount"] == 0).sum() == 0
    # every bad row is its own: 3 + 3 + 2 + 2 rows, none overlapping
    clean = clean_orders(orders)
    assert len(orders) - len(clean) == 10
    assert clean["order_id"].is_unique
    # the extra bad rows carry new order ids; duplicates repeat a clean one
    extra = orders[(orders["amount"] < 0) | orders["customer_id"].isna() | orders["ordered_at"].isna()]
    assert not extra["order_id"].isin(clean["order_id"]).any()
    assert orders.loc[orders.duplicated(), "order_id"].isin(clean["order_id"]).all()
    # the clean rows come first, sorted by time; the bad rows are appended
    head = orders.iloc[: len(clean)]
    assert head["ordered_at"].is_monotonic_increasing and head["order_id"].is_monotonic_increasing
    assert len(head.drop_duplicates()) == len(clean)


def test_medium_scale_bad_row_counts() -> None:
    orders = generate("medium", 42)["customer_orders.parquet"].to_pandas()
    expected = planted_counts(20_000)
    assert expected == {"negative_amount": 20, "duplicates": 20, "null_customer_id": 20, "null_ordered_at": 20}
    assert (orders["amount"] < 0).sum() == 20 and orders.duplicated().sum() == 20
    assert orders["customer_id"].isna().sum() == 20 and orders["ordered_at"].isna().sum() == 20


def test_window_and_tenure(small: Demo) -> None:
    clean = clean_orders(small["customer_orders"])
    assert clean["ordered_at"].min() >= FIRST and clean["ordered_at"].max() < END
    assert (clean["amount"] > 0).all()
    truth = small["demo_truth_customers"].set_index("customer_id")["persona"]
    first = clean.groupby("customer_id")["ordered_at"].min()
    repeat_first = first[truth.loc[first.index] != "one_time"]
    assert repeat_first.max() < pd.Timestamp("2026-01-01")          # repeaters start in the first 14 months
    assert first[truth.loc[first.index] == "one_time"].max() > pd.Timestamp("2026-06-01")


def test_persona_proportions_and_order_counts(small: Demo) -> None:
    truth = small["demo_truth_customers"]
    counts = truth["persona"].value_counts().to_dict()
    assert counts == persona_counts(2_000) == {
        "one_time": 1_100, "occasional": 440, "active_hobbyist": 280, "super_engaged": 140, "enterprise": 40}
    assert sum(p[0] for p in PERSONAS.values()) == pytest.approx(1.0)
    clean = clean_orders(small["customer_orders"])
    assert len(small["customer_orders"]) < 80_000
    n = clean.groupby("customer_id").size().groupby(truth.set_index("customer_id")["persona"])
    assert (n.get_group("one_time") == 1).all()
    assert n.get_group("occasional").between(2, 4).all()
    assert (n.get_group("active_hobbyist") >= 2).all()
    feats = customer_features(small["customer_orders"]).join(truth.set_index("customer_id"))
    rate = feats.groupby("persona")["orders_per_month"].median()
    assert 0.9 <= rate["active_hobbyist"] <= 1.9
    assert 5.5 <= rate["super_engaged"] <= 10.5
    assert 28 <= rate["enterprise"] <= 52


def test_persona_signatures(small: Demo) -> None:
    clean = clean_orders(small["customer_orders"])
    persona = clean["customer_id"].map(small["demo_truth_customers"].set_index("customer_id")["persona"])
    by = clean.groupby(persona)
    median = by["amount"].median()
    for name, expected in {"one_time": 35, "occasional": 45, "active_hobbyist": 60, "super_engaged": 90,
                           "enterprise": 400}.items():
        assert median[name] == pytest.approx(expected, rel=0.15)
    assert by["item_count"].mean().idxmax() == "enterprise"
    mix = pd.crosstab(persona, clean["product_category"], normalize="index")
    assert mix.loc["enterprise"].idxmax() == "fabric" and mix.loc["enterprise", "fabric"] > 0.5
    assert set(mix.loc["active_hobbyist"].nlargest(2).index) == {"kits", "patterns"}
    returns = by["is_returned"].mean()
    assert returns["one_time"] > returns["occasional"] > returns["active_hobbyist"] > returns["enterprise"]
    weekday = clean["ordered_at"].dt.day_of_week
    hour = clean["ordered_at"].dt.hour
    business = ((weekday < 5) & hour.between(9, 16)).groupby(persona).mean()
    leisure = ((weekday >= 5) | (hour >= 18)).groupby(persona).mean()
    assert business["enterprise"] > business["super_engaged"] > 0.6 > business["one_time"]
    assert leisure["one_time"] > 0.6 and leisure["occasional"] > 0.6 and leisure["enterprise"] < 0.25


def test_truth_covers_every_customer(small: Demo) -> None:
    truth = set(small["demo_truth_customers"]["customer_id"])
    assert set(small["customer_orders"]["customer_id"].dropna()) == truth
    assert set(clean_orders(small["customer_orders"])["customer_id"]) == truth


def test_category_specialists_buy_from_their_one_category(small: Demo) -> None:
    truth = small["demo_truth_customers"].set_index("customer_id")
    orders = clean_orders(small["customer_orders"])
    categories = orders.groupby("customer_id")["product_category"].agg(["nunique", "size"])
    specialist = truth.loc[categories.index, "is_category_specialist"]
    assert not specialist[truth.loc[categories.index, "persona"] == "one_time"].any()
    repeat = truth["persona"] != "one_time"
    assert abs(truth.loc[repeat, "is_category_specialist"].mean() - SPECIALIST_SHARE) < 0.05
    assert (categories.loc[specialist, "nunique"] == 1).all()
    # the others buy from their persona's mix: with six orders or more, almost never from one category only
    others = categories[~specialist & (categories["size"] >= 6)]
    assert (others["nunique"] > 1).mean() > 0.97


def test_personas_are_separable(small: Demo) -> None:
    features = customer_features(small["customer_orders"])
    persona = small["demo_truth_customers"].set_index("customer_id").loc[features.index, "persona"]
    labels = KMeans(5, random_state=42, n_init=10).fit_predict(StandardScaler().fit_transform(features))
    assert adjusted_rand_score(persona, labels) >= 0.8


def test_same_seed_same_data(tmp_path: Path, small: Demo) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        write_tables(generate("small", 42), tmp_path / sub)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    again = read_demo(tmp_path / "a")
    assert all(again[k].equals(small[k]) for k in small)


def test_other_seed_other_data(small: Demo) -> None:
    other = generate("small", 7)["customer_orders.parquet"].to_pandas()
    assert not other.equals(small["customer_orders"])


def test_unknown_scale_is_rejected() -> None:
    with pytest.raises(ValueError, match="scale='huge'"):
        generate("huge", 42)
