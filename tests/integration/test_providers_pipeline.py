"""The provider domain end to end, on the demo warehouse built by `make dbt-test`.

Asserts recovered structure against the planted truth (which no dbt model
reads), exact row conservation against an independent pandas reading of the
raw file, and the documented canonical ordering of cluster ids.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import planted
import pytest
import row_scores_check

pytestmark = pytest.mark.integration
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def raw_models(raw_dir) -> pd.DataFrame:
    return pd.read_parquet(raw_dir / "ai_models.parquet")


def test_planted_provider_tiers_are_recovered(query, raw_dir):
    ari = planted.provider_tier_ari(query, raw_dir)
    print(f"ARI(provider_clusters, planted tiers) = {ari:.3f}")
    assert ari >= planted.MIN_PROVIDER_TIER_ARI


def test_chosen_k_matches_planted_tier_count(query, raw_dir):
    chosen, tiers = planted.provider_chosen_and_planted_k(query, raw_dir)
    assert chosen == [tiers]


def test_every_catalogue_row_is_counted_or_quarantined(query, raw_models):
    usable = query("select count(*) as n from stg_ai_models")["n"].item()
    quarantined = query("select count(*) as n from stg_ai_models_quarantine")["n"].item()
    assert usable + quarantined == len(raw_models)


def test_quarantine_reasons_match_an_independent_reading(query, raw_models):
    price = raw_models["blended_price_per_1m_tokens"].astype("string").str.strip()
    price_num = pd.to_numeric(price.replace("", pd.NA), errors="coerce")
    non_numeric = price.notna() & (price != "") & price_num.isna()
    negative_price = price_num < 0
    negative_speed = raw_models["median_output_speed_tps"] < 0
    bad = non_numeric | negative_price | negative_speed
    duplicates = raw_models[~bad].duplicated(keep="first")
    expected = {
        "non_numeric_price": int(non_numeric.sum()),
        "negative_price": int((negative_price & ~non_numeric).sum()),
        "negative_speed": int((negative_speed & ~non_numeric & ~negative_price).sum()),
        "duplicate_row": int(duplicates.sum()),
    }
    got = query(
        "select quarantine_reason, count(*) as n from stg_ai_models_quarantine group by 1"
    ).set_index("quarantine_reason")["n"].to_dict()
    assert {k: v for k, v in expected.items() if v} == got


def test_every_provider_with_a_valid_model_is_clustered(query, raw_models):
    models = raw_models.assign(
        provider_id=raw_models["creator"].str.strip().str.replace(r"\s+", " ", regex=True).str.lower()
    )
    scored = set(query(
        "select distinct provider_id from stg_ai_models where has_intelligence_index"
    )["provider_id"])
    clustered = set(query("select provider_id from provider_clusters")["provider_id"])
    quarantined = set(query("select provider_id from provider_features_quarantine")["provider_id"])
    assert scored <= clustered | quarantined
    assert clustered | quarantined == set(models["provider_id"])
    assert not clustered & quarantined


def test_cluster_ids_follow_the_documented_canonical_order(query):
    summary = query("select cluster_id, avg_intelligence from provider_cluster_summary order by cluster_id")
    assert summary["cluster_id"].tolist() == list(range(len(summary)))
    assert summary["avg_intelligence"].is_monotonic_increasing


def test_provider_clusters_carry_the_row_scores(query):
    """distance, normalized_distance, margin, second_cluster_id: typed, recomputed from the features and the scaler."""
    rows = row_scores_check.check(query, "provider_clusters", "provider_id", "provider_features",
                                  "provider_scaler_params")
    assert (rows["algorithm"] == "kmeans").all() and (rows["margin"] >= 0).all()  # k-means: own centre is nearest


def test_segment_names_describe_the_planted_tiers(query, raw_dir):
    """Each planted tier's majority cluster carries the segment name meant for it."""
    assert planted.provider_segment_names(query, raw_dir) == planted.TIER_SEGMENT_NAMES


def test_unmapped_creators_fall_into_other(query):
    seed = pd.read_csv(PROJECT_ROOT / "seeds" / "provider_regions.csv")
    mapped = set(seed["creator"].str.strip().str.lower())
    named = query("select provider_id, region, is_region_mapped from int_providers_named")
    unmapped = named[~named["provider_id"].isin(mapped)]
    assert not unmapped.empty, "the demo plants creators the seed does not know"
    assert (unmapped["region"] == "Other").all()
    assert (~unmapped["is_region_mapped"]).all()
    assert named[named["provider_id"].isin(mapped)]["is_region_mapped"].all()


def test_regional_comparison_counts_match_models(query):
    got = query(
        "select region, model_count from regional_comparison where metric = 'intelligence'"
    ).set_index("region")["model_count"].sort_index()
    expected = query(
        "select region, count(intelligence_index) as model_count from int_ai_models_regioned "
        "group by 1"
    ).set_index("region")["model_count"].sort_index()
    pd.testing.assert_series_equal(got, expected, check_dtype=False)


def test_report_is_built_from_the_real_marts(db_path, query, tmp_path):
    from cluster_marts.reporting.providers import run_report

    assert run_report(db_path, tmp_path) == 0
    for name in ["elbow_plot.png", "silhouette_scores.png", "provider_cluster_analysis.png"]:
        png = tmp_path / "figures" / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    text = (tmp_path / "provider_clustering.md").read_text()
    chosen_k = query("select k from provider_k_selection where is_chosen")["k"].item()
    assert f"**k = {chosen_k}**" in text
    for name in query("select segment_name from provider_cluster_summary")["segment_name"]:
        assert name in text
    for name in query("select provider_name from provider_clusters")["provider_name"]:
        assert name in text
