"""Tests of the synthetic demo generator (``cluster-marts demo``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from cluster_marts.demo import DOMAINS, expected_files, run_demo
from cluster_marts.demo.providers import (
    FILES,
    build_catalogue,
    normalize_creator,
    planted_counts,
)

METRICS = ["intelligence_index", "price", "median_output_speed_tps"]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The small demo, seed 42, read back from the Parquet files."""
    out = tmp_path_factory.mktemp("demo")
    assert run_demo(scale="small", out=out, seed=42) == 0
    return read_demo(out)


def read_demo(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Catalogue and truth table written into ``out``."""
    return (pd.read_parquet(out / "ai_models.parquet"),
            pd.read_parquet(out / "demo_truth_providers.parquet"))


def distinct(models: pd.DataFrame) -> pd.DataFrame:
    """Catalogue without its exact duplicate rows."""
    return models.drop_duplicates(ignore_index=True)


def test_registry_lists_the_providers_files() -> None:
    assert "providers" in DOMAINS
    assert set(FILES) <= set(expected_files())


def test_small_scale_sizes(small: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    models, truth = small
    assert len(truth) == 40 and truth["provider_id"].is_unique
    assert 150 <= models["model_id"].nunique() <= 260
    assert len(models) == models["model_id"].nunique() + 3
    assert str(models["release_date"].min()) >= "2023-01-01"
    assert str(models["release_date"].max()) <= "2026-10-31"


def test_small_scale_tier_counts(small: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    tiers = small[1]["tier"].value_counts().to_dict()
    assert tiers == {"frontier": 8, "budget": 10, "speed_focused": 8, "long_tail": 14}


def test_planted_defects_are_exact(small: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    models, truth = small
    rows = distinct(models)
    expected = planted_counts(len(rows))
    price = rows["blended_price_per_1m_tokens"]
    assert models.duplicated().sum() == expected["duplicates"] == 3
    assert models.duplicated("model_id").sum() == 3
    assert (price == "n/a").sum() == (price == "tbd").sum() == (price == "").sum() == 2
    assert (price == "-1.00").sum() == expected["negative_price"] == 3
    assert pd.to_numeric(price, errors="coerce").isna().sum() == 6
    assert rows["intelligence_index"].isna().sum() == expected["null_intelligence"]
    assert (rows["median_output_speed_tps"] < 0).sum() == expected["negative_speed"] == 2
    assert rows["median_output_speed_tps"].isna().sum() == expected["null_speed"] == 4
    canonical = rows["creator"].map(normalize_creator).map(
        truth.set_index("provider_id")["creator"])
    messy = rows["creator"] != canonical
    assert messy.sum() == expected["messy_creator"]
    assert (rows.loc[messy, "creator"].str.strip().str.lower()
            == canonical[messy].str.lower()).all()


def test_truth_covers_every_normalized_creator(small: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    models, truth = small
    providers = set(models["creator"].map(normalize_creator))
    assert providers == set(truth["provider_id"])
    assert truth["provider_id"].tolist() == truth["creator"].map(normalize_creator).tolist()


def valid_provider_means(models: pd.DataFrame) -> pd.DataFrame:
    """Mean metrics per normalised creator over rows with valid values."""
    rows = models.assign(
        price=pd.to_numeric(models["blended_price_per_1m_tokens"], errors="coerce"),
        provider_id=models["creator"].str.strip().str.lower(),
    )
    valid = (rows["intelligence_index"].notna() & (rows["price"] > 0)
             & (rows["median_output_speed_tps"] >= 0))
    return rows[valid].groupby("provider_id")[METRICS].mean()


@pytest.mark.parametrize("seed", [0, 3, 42])
def test_every_provider_is_clusterable(seed: int) -> None:
    models, truth = (t.to_pandas() for t in build_catalogue("small", seed))
    means = valid_provider_means(models)
    assert set(means.index) == set(truth["provider_id"])
    assert not np.isnan(means.to_numpy()).any()


def test_planted_tiers_are_recovered(small: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    models, truth = small
    means = valid_provider_means(models)
    scaled = StandardScaler().fit_transform(means)
    labels = KMeans(4, random_state=42, n_init=10).fit_predict(scaled)
    tiers = truth.set_index("provider_id").loc[means.index, "tier"]
    assert adjusted_rand_score(tiers, labels) >= 0.9


def test_same_seed_same_data(tmp_path: Path, small: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    assert run_demo(scale="small", out=tmp_path, seed=42) == 0
    models, truth = read_demo(tmp_path)
    assert models.equals(small[0]) and truth.equals(small[1])
    run_demo(scale="small", out=tmp_path / "again", seed=42)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


def test_other_seed_other_data(tmp_path: Path, small: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    run_demo(scale="small", out=tmp_path, seed=7)
    assert not read_demo(tmp_path)[0].equals(small[0])


def test_if_absent_skips_existing_files(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    run_demo(scale="small", out=tmp_path, seed=42)
    stamps = {name: (tmp_path / name).stat().st_mtime_ns for name in FILES}
    capsys.readouterr()
    assert run_demo(scale="small", out=tmp_path, seed=1, if_absent=True) == 0
    assert capsys.readouterr().out.strip().startswith(f"{tmp_path} already holds data (")
    assert {name: (tmp_path / name).stat().st_mtime_ns for name in FILES} == stamps


def test_if_absent_never_writes_into_a_folder_with_a_users_file(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A folder holding only the user's own orders gets no demo file: nothing is overwritten or added."""
    own = tmp_path / "customer_orders.parquet"
    own.write_bytes(b"the user's orders")
    assert run_demo(scale="small", out=tmp_path, seed=1, if_absent=True) == 0
    assert own.read_bytes() == b"the user's orders"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["customer_orders.parquet"]
    printed = capsys.readouterr().out
    assert "already holds data (customer_orders.parquet)" in printed and "ai_models.parquet" in printed


def test_if_absent_writes_missing_files(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run_demo(scale="small", out=tmp_path / "new", seed=42, if_absent=True) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(expected_files())
    assert all((tmp_path / "new" / name).exists() for name in expected_files())


def test_unknown_scale_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale='huge'"):
        run_demo(scale="huge", out=tmp_path)
