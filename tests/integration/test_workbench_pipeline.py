"""The clustering workbench in the build: every shipped spec has its marts, and
the wine spec reports ARI/NMI against the real cultivars that match
scikit-learn's own functions on the same assignments."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

pytestmark = pytest.mark.integration
PROJECT_ROOT = Path(__file__).resolve().parents[2]
TABLES = ["assignments", "clusters", "centres", "metrics", "feature_importance", "representatives",
          "comparison", "suggestions", "k_selection"]


def test_every_shipped_spec_has_every_mart(query):
    specs = {p.stem for p in (PROJECT_ROOT / "specs").glob("*.yml")}
    assert specs, "at least one spec ships"
    for table in TABLES:
        names = set(query(f"select distinct spec_name from workbench_{table}")["spec_name"])
        assert names == specs, table


def test_wine_ari_and_nmi_match_sklearn_on_the_real_labels(query, raw_dir):
    wine = pd.read_parquet(raw_dir / "wine.parquet")
    assigned = query("select id, cluster_id from workbench_assignments where spec_name = 'wine'")
    merged = assigned.merge(wine.assign(id=wine["wine_id"].astype(str)), on="id", validate="one_to_one")
    assert len(merged) == len(wine) == 178
    metrics = query("select metric, value from workbench_metrics where spec_name = 'wine'"
                    ).set_index("metric")["value"]
    ari = adjusted_rand_score(merged["cultivar"], merged["cluster_id"])
    nmi = normalized_mutual_info_score(merged["cultivar"], merged["cluster_id"])
    print(f"wine: ARI {ari:.3f}, NMI {nmi:.3f}")
    assert metrics["ari"] == pytest.approx(ari, abs=1e-12)
    assert metrics["nmi"] == pytest.approx(nmi, abs=1e-12)
    assert ari > 0.8


def test_the_comparison_recommends_one_algorithm_with_a_reason(query):
    comparison = query("select * from workbench_comparison where spec_name = 'wine'")
    recommended = comparison[comparison["is_recommended"]]
    assert len(recommended) == 1 and recommended["reason"].item()
    assert recommended["silhouette"].item() == comparison["silhouette"].max() or recommended["noise_share"].item() == 0
