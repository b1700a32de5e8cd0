"""Planted structure is recovered on a second demo seed, not only on the seed the code was tuned on.

A session fixture writes the small demo with :data:`SEED` (``cluster-marts demo --seed``) into a
temporary directory and builds, into a fresh DuckDB file there, only the models the planted-structure
checks read (the seeds and models upstream of :data:`MARTS`; data tests are left to the main build).
Every check and threshold is the default-seed suite's own (:mod:`planted`). The build takes about two
minutes on one thread.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import planted
import pytest
from conftest import PROJECT_ROOT, run_dbt

from cluster_marts.cli import main as cluster_marts

pytestmark = pytest.mark.integration
SEED = 7
MARTS = ("provider_clusters", "provider_k_selection", "provider_cluster_summary", "dfu_cluster_assignments",
         "dfu_cluster_labels", "customer_segments", "customer_k_selection", "customer_fit_metrics",
         "customer_drift")


@pytest.fixture(scope="session")
def second_seed(tmp_path_factory):
    """(query, raw_dir) of a warehouse built from the demo data of :data:`SEED`."""
    tmp = tmp_path_factory.mktemp(f"seed_{SEED}")
    raw = tmp / "raw"
    assert cluster_marts(["demo", "--scale", "small", "--out", str(raw), "--seed", str(SEED)]) == 0
    db = tmp / "warehouse.duckdb"
    selection = ["-s", *(f"+{mart}" for mart in MARTS)]
    result = run_dbt(["build", *selection, "--exclude-resource-type", "test", "--exclude-resource-type",
                      "unit_test"], db=db, project_dir=PROJECT_ROOT, raw=raw, tmp=tmp)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    yield (lambda sql: con.sql(sql).df()), raw
    con.close()


def test_the_second_seed_writes_other_data(second_seed, raw_dir):
    _, raw = second_seed
    for name in ("ai_models", "customer_orders", "fact_sales_monthly"):
        assert (raw / f"{name}.parquet").read_bytes() != (Path(raw_dir) / f"{name}.parquet").read_bytes(), name


def test_provider_tiers(second_seed):
    query, raw = second_seed
    ari = planted.provider_tier_ari(query, raw)
    chosen, tiers = planted.provider_chosen_and_planted_k(query, raw)
    print(f"seed {SEED}: ARI(provider_clusters, planted tiers) = {ari:.3f}; chosen k {chosen}, {tiers} tiers")
    assert ari >= planted.MIN_PROVIDER_TIER_ARI
    assert chosen == [tiers]
    assert planted.provider_segment_names(query, raw) == planted.TIER_SEGMENT_NAMES


def test_dfu_labels(second_seed):
    # without clip_quantile this seed measured 0.476: two intermittent DFUs far out on recent_vs_historical
    # (4.6, 5.7) were a cluster of their own (0.7 % < min_cluster_share) at every k >= 5, so k = 4 was chosen
    query, raw = second_seed
    accuracy, n = planted.dfu_label_accuracy(query, raw)
    print(f"seed {SEED}: label accuracy vs planted archetypes {accuracy:.3f} on {n} DFUs")
    assert accuracy >= planted.MIN_DFU_LABEL_ACCURACY


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_customer_personas(second_seed, method):
    query, raw = second_seed
    ari = planted.persona_ari(query, raw, method)
    print(f"seed {SEED}: ARI({method} segment paths on {planted.CUSTOMER_MAIN_AXIS}, personas) = {ari:.3f}")
    assert ari >= planted.MIN_PERSONA_ARI


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_repeat_customer_personas(second_seed, method):
    query, raw = second_seed
    ari, majority = planted.repeat_persona_recovery(query, raw, method)
    print(f"seed {SEED}: ARI({method} segment paths on {planted.REPEAT_AXIS}, repeat personas) = {ari:.3f}; "
          f"{majority}")
    assert ari >= planted.MIN_PERSONA_ARI
    assert majority == planted.REPEAT_PERSONA_NAMES


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_category_specialists(second_seed, method):
    query, raw = second_seed
    ari, named = planted.specialist_recovery(query, planted.truth(raw, "customers"), method)
    print(f"seed {SEED}: ARI({method} {planted.BREADTH_AXIS} segments, planted specialists) = {ari:.3f}; "
          f"named {named:.1%}")
    assert ari >= planted.MIN_SPECIALIST_ARI and named >= planted.MIN_SPECIALISTS_NAMED


def test_customer_segment_names(second_seed):
    query, raw = second_seed
    ari, majority, n_names = planted.name_recovery(query, planted.truth(raw, "customers"))
    print(f"seed {SEED}: ARI(engagement names, personas) = {ari:.3f}; {n_names} names; majority names {majority}")
    assert ari >= planted.MIN_NAME_ARI and n_names >= 4
    assert majority == planted.DEMO_PERSONA_NAMES


def test_customer_long_tail(second_seed):
    query, _ = second_seed
    shares = planted.long_tail_shares(query)
    print(f"seed {SEED}: plain silhouette k={shares['silhouette_k']}, largest {shares['silhouette_largest']:.1%}; "
          f"balance + subdivision largest {shares['leaf_largest']:.1%} over {shares['leaves']} segments")
    assert shares["silhouette_largest"] > planted.MEGA_SEGMENT_SHARE
    assert shares["leaf_largest"] <= planted.MEGA_SEGMENT_SHARE
    assert shares["reported_after_subdivision"] == pytest.approx(shares["leaf_largest"])


def test_drift(second_seed):
    query, raw = second_seed
    found = planted.drift_precision_recall(query, raw)
    share = planted.stable_share(query, raw)
    print(f"seed {SEED}: drift precision {found['precision']:.3f}, recall {found['recall']:.3f} "
          f"({found['true_positive']} of {found['drifters']}); STABLE share of non-drifters {share:.3f}")
    assert found["precision"] >= planted.MIN_DRIFT_PRECISION and found["recall"] >= planted.MIN_DRIFT_RECALL
    assert share >= planted.MIN_STABLE_SHARE
    noise = planted.ageing_noise(query, raw)
    print(f"seed {SEED}: MODERATE+ steps of customers keeping their cadence {noise['adjusted_share']:.3f} "
          f"(raw drift {noise['raw_share']:.3f}); lapsers flagged {noise['lapsers_adjusted']} (raw "
          f"{noise['lapsers_raw']}) of {noise['lapsers']}")
    assert noise["adjusted_share"] <= 0.5 * noise["raw_share"]
    assert noise["lapsers_adjusted"] >= 0.95 * noise["lapsers_raw"]
