"""Tests of the synthetic demand demo (``cluster_marts.demo.demand``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from cluster_marts.demo import DOMAINS, expected_files, run_demo
from cluster_marts.demo.demand import (
    ARCHETYPES,
    FILES,
    N_MONTHS,
    archetype_counts,
    generate,
    planted_counts,
)

Demo = dict[str, pd.DataFrame]
FIRST, LAST = pd.Timestamp("2023-11-01"), pd.Timestamp("2026-10-01")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The small demo, seed 42, read back from the Parquet files."""
    out = tmp_path_factory.mktemp("demo")
    assert run_demo(scale="small", out=out, seed=42) == 0
    return read_demo(out)


def read_demo(out: Path) -> Demo:
    """The demand files written into ``out``, keyed by file stem."""
    return {name.removesuffix(".parquet"): pd.read_parquet(out / name) for name in FILES}


def clean_rows(sales: pd.DataFrame) -> pd.DataFrame:
    """The rows a staging keeps: an id, demand >= 0, the highest demand per DFU-month."""
    usable = sales[sales["dfu_id"].notna() & (sales["demand"] >= 0)]
    return (usable.sort_values("demand", ascending=False, kind="stable")
            .drop_duplicates(["dfu_id", "month"]).sort_values(["dfu_id", "month"]))


def month_grid(sales: pd.DataFrame, dfus: pd.Index) -> pd.DataFrame:
    """DFU x month demand over the 36 months, absent months filled with zero."""
    months = pd.date_range(FIRST, LAST, freq="MS")
    rows = clean_rows(sales).assign(month=lambda d: pd.to_datetime(d["month"]))
    return rows.pivot(index="dfu_id", columns="month", values="demand").reindex(
        index=dfus, columns=months).fillna(0.0)


def series_features(grid: pd.DataFrame) -> pd.DataFrame:
    """Per-DFU mean, CV, zero share, lag-12 autocorrelation of the linearly
    detrended last 24 months, and the linear slope over the mean."""
    def one(row: pd.Series) -> pd.Series:
        x = row.to_numpy()
        mean = x.mean()
        last = x[-24:]
        t = np.arange(last.size)
        resid = pd.Series(last - np.polyval(np.polyfit(t, last, 1), t))
        autocorr = resid.autocorr(12)
        return pd.Series({
            "log_mean": np.log1p(mean),
            "cv": x.std() / mean if mean > 0 else 0.0,
            "zero_share": (x == 0).mean(),
            "autocorr_12": 0.0 if np.isnan(autocorr) else autocorr,
            "slope_over_mean": np.polyfit(np.arange(x.size), x, 1)[0] / mean if mean > 0 else 0.0,
        })
    return grid.apply(one, axis=1)


def test_registry_lists_the_demand_files() -> None:
    assert "demand" in DOMAINS and "providers" in DOMAINS
    assert set(FILES) <= set(expected_files())


def test_schemas(small: Demo) -> None:
    sales, items, dfus, truth = (small[k] for k in ("fact_sales_monthly", "dim_item", "dim_dfu",
                                                    "demo_truth_dfu"))
    assert list(sales.columns) == ["dfu_id", "month", "demand"]
    assert sales["demand"].dtype == "float64"
    assert list(items.columns) == ["item_id", "category", "class", "sub_class", "brand_name", "country",
                                   "national_service_model", "case_weight", "item_proof", "bpc",
                                   "bottle_pack", "pack_case"]
    assert list(dfus.columns) == ["dfu_id", "item_id", "brand", "region", "state_plan", "sales_div",
                                  "prod_cat_desc", "abc_vol", "service_lvl_grp", "supergroup",
                                  "execution_lag", "total_lt", "alcoh_pct", "proof", "cluster_assignment"]
    assert list(truth.columns) == ["dfu_id", "archetype", "expected_pattern", "expected_volume_tier",
                                   "is_short_history", "months_of_history"]
    assert dfus["cluster_assignment"].isna().all()
    assert set(dfus["abc_vol"]) == {"A", "B", "C"}
    assert dfus["dfu_id"].is_unique and items["item_id"].is_unique
    assert set(dfus["item_id"]) == set(items["item_id"])
    assert len(items) == len(dfus) // 2
    assert (items["pack_case"] * items["bottle_pack"] == items["bpc"]).all()


def test_small_scale_sizes_and_months(small: Demo) -> None:
    sales, truth = small["fact_sales_monthly"], small["demo_truth_dfu"]
    assert len(truth) == 300 and truth["dfu_id"].is_unique
    assert truth["dfu_id"].iloc[0] == "DFU-00001"
    months = pd.to_datetime(sales["month"])
    assert months.min() == FIRST and months.max() == LAST
    assert (months.dt.day == 1).all()
    full = truth.loc[~truth["is_short_history"]]
    assert (full["months_of_history"] == N_MONTHS).all()


def test_planted_bad_rows_are_exact(small: Demo) -> None:
    sales = small["fact_sales_monthly"]
    expected = planted_counts(300)
    assert expected == {"negative_demand": 3, "duplicates": 3, "conflicting": 2, "null_dfu_id": 2,
                        "short_history": 12}
    assert sales["dfu_id"].isna().sum() == 2
    assert (sales["demand"] < 0).sum() == 3
    assert sales.duplicated().sum() == 3
    valid = sales[sales["dfu_id"].notna() & (sales["demand"] >= 0)].drop_duplicates()
    assert valid.duplicated(["dfu_id", "month"]).sum() == 2
    # negative and conflicting rows are extra rows: the DFU-month also has its clean row,
    # which carries the highest demand of the month
    keys = ["dfu_id", "month"]
    negative = sales[sales["demand"] < 0]
    assert len(negative.merge(valid, on=keys)) == 3
    conflicts = valid[valid.duplicated(keys, keep=False)]
    assert conflicts.groupby(keys)["demand"].agg(["min", "max"]).pipe(lambda d: (d["min"] < d["max"]).all())
    # every bad row is on its own full-history DFU
    truth = small["demo_truth_dfu"].set_index("dfu_id")
    bad_dfus = pd.concat([negative["dfu_id"], sales.loc[sales.duplicated(), "dfu_id"],
                          conflicts["dfu_id"].drop_duplicates()])
    assert bad_dfus.is_unique and len(bad_dfus) == 8
    assert not truth.loc[bad_dfus, "is_short_history"].any()


def test_clean_series_has_one_row_per_month_of_history(small: Demo) -> None:
    sales, truth = small["fact_sales_monthly"], small["demo_truth_dfu"].set_index("dfu_id")
    rows = clean_rows(sales)
    first = pd.to_datetime(rows.groupby("dfu_id")["month"].min())
    history = (LAST.year - first.dt.year) * 12 + (LAST.month - first.dt.month) + 1
    assert history.sort_index().tolist() == truth["months_of_history"].sort_index().tolist()
    n_rows = rows.groupby("dfu_id").size()
    explicit = truth.index[truth["archetype"] != "intermittent"]
    assert (n_rows[explicit] == truth.loc[explicit, "months_of_history"]).all()


def test_intermittent_zero_months_are_partly_absent(small: Demo) -> None:
    sales, truth = small["fact_sales_monthly"], small["demo_truth_dfu"]
    ids = truth.loc[(truth["archetype"] == "intermittent") & ~truth["is_short_history"], "dfu_id"]
    rows = clean_rows(sales)
    rows = rows[rows["dfu_id"].isin(ids)]
    grid = month_grid(sales, pd.Index(ids))
    zero_months = int((grid == 0).to_numpy().sum())
    absent = len(ids) * N_MONTHS - len(rows)
    assert 0.35 <= absent / zero_months <= 0.65
    assert (rows["demand"] == 0).sum() > 0   # the other zero months are explicit rows
    others = clean_rows(sales)
    others = others[~others["dfu_id"].isin(truth.loc[truth["archetype"] == "intermittent", "dfu_id"])]
    assert (others["demand"] > 0).all()


def test_short_history_dfus(small: Demo) -> None:
    truth = small["demo_truth_dfu"]
    short = truth[truth["is_short_history"]]
    assert len(short) == 12
    assert short["months_of_history"].between(6, 11).all()
    assert short["archetype"].nunique() > 1


def test_archetype_proportions_and_truth(small: Demo) -> None:
    truth = small["demo_truth_dfu"]
    counts = truth["archetype"].value_counts().to_dict()
    assert counts == archetype_counts(300) == {
        "steady_high": 60, "seasonal": 54, "intermittent": 42, "growing": 48, "declining": 42,
        "volatile": 54}
    assert sum(ARCHETYPES[a][0] for a in ARCHETYPES) == pytest.approx(1.0)
    pattern = truth.set_index("archetype")["expected_pattern"].groupby(level=0).unique()
    assert {a: list(p) for a, p in pattern.items()} == {
        "steady_high": ["steady"], "seasonal": ["seasonal"], "intermittent": ["intermittent"],
        "growing": ["growing"], "declining": ["declining"], "volatile": ["volatile"]}
    tiers = truth.groupby("archetype")["expected_volume_tier"].unique()
    assert list(tiers["steady_high"]) == ["high"]
    assert list(tiers["intermittent"]) == list(tiers["declining"]) == ["low"]
    assert truth.loc[truth["archetype"].isin(["seasonal", "growing", "volatile"]),
                     "expected_volume_tier"].isna().all()


def test_truth_covers_every_dfu(small: Demo) -> None:
    truth = set(small["demo_truth_dfu"]["dfu_id"])
    assert set(small["fact_sales_monthly"]["dfu_id"].dropna()) == truth
    assert set(small["dim_dfu"]["dfu_id"]) == truth


def test_archetypes_are_separable(small: Demo) -> None:
    truth = small["demo_truth_dfu"].set_index("dfu_id")
    full = truth.index[~truth["is_short_history"]]
    features = series_features(month_grid(small["fact_sales_monthly"], full))
    scaled = StandardScaler().fit_transform(features)
    labels = KMeans(6, random_state=42, n_init=10).fit_predict(scaled)
    assert adjusted_rand_score(truth.loc[full, "archetype"], labels) >= 0.85


def test_archetype_signatures(small: Demo) -> None:
    truth = small["demo_truth_dfu"].set_index("dfu_id")
    full = truth.index[~truth["is_short_history"]]
    means = series_features(month_grid(small["fact_sales_monthly"], full)).groupby(
        truth.loc[full, "archetype"]).mean()
    assert means["log_mean"].idxmax() == "steady_high" and means["cv"].idxmin() == "steady_high"
    assert means["zero_share"].idxmax() == "intermittent"
    assert means["autocorr_12"].idxmax() == "seasonal"
    assert means["slope_over_mean"].idxmax() == "growing"
    assert means["slope_over_mean"].idxmin() == "declining"
    assert means.drop("intermittent")["cv"].idxmax() == "volatile"


def test_same_seed_same_data(tmp_path: Path, small: Demo) -> None:
    run_demo(scale="small", out=tmp_path / "a", seed=42)
    run_demo(scale="small", out=tmp_path / "b", seed=42)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    again = read_demo(tmp_path / "a")
    assert all(again[k].equals(small[k]) for k in small)


def test_other_seed_other_data(small: Demo) -> None:
    other = generate("small", 7)["fact_sales_monthly.parquet"].to_pandas()
    assert not other.equals(small["fact_sales_monthly"])


def test_medium_scale_counts() -> None:
    tables = generate("medium", 42)
    truth = tables["demo_truth_dfu.parquet"].to_pandas()
    assert len(truth) == 5_000 and truth["is_short_history"].sum() == 200
    sales = tables["fact_sales_monthly.parquet"].to_pandas()
    expected = planted_counts(5_000)
    assert (sales["demand"] < 0).sum() == expected["negative_demand"] == 50
    assert sales["dfu_id"].isna().sum() == expected["null_dfu_id"]


def test_unknown_scale_is_rejected() -> None:
    with pytest.raises(ValueError, match="scale='huge'"):
        generate("huge", 42)
