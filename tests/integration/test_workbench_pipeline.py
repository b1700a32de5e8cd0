"""The clustering workbench in the build: every shipped spec has its marts, and
the wine spec reports ARI/NMI against the real cultivars that match
scikit-learn's own functions on the same assignments."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
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


def test_wine_stability_is_a_metric_and_a_k_selection_column(query):
    """wine lists the stability metric: its fit at the cultivars' k = 3 comes back on bootstrap refits (mean ARI
    0.94 measured), and the k search scores every k, k = 3 the most stable."""
    metrics = query("select metric, value from workbench_metrics where spec_name = 'wine'"
                    ).set_index("metric")["value"]
    assert 0.9 <= metrics["stability"] <= 1.0
    ks = query("select k, stability from workbench_k_selection where spec_name = 'wine' order by k")
    assert ks["stability"].notna().all() and ks["stability"].between(-1, 1).all()
    assert int(ks.loc[ks["stability"].idxmax(), "k"]) == 3


def test_the_comparison_recommends_the_best_silhouette_net_of_noise(query):
    """The rule: highest silhouette x (1 - noise share), ties to the first algorithm of the spec's list;
    runs without a silhouette cannot win. Checked on the table's own numbers in spec order."""
    order = yaml.safe_load((PROJECT_ROOT / "specs" / "wine.yml").read_text())["compare"]
    comparison = query("select * from workbench_comparison where spec_name = 'wine'").set_index("algorithm")
    assert sorted(comparison.index) == sorted(order)
    comparison = comparison.loc[order]
    combined = comparison["silhouette"] * (1 - comparison["noise_share"])
    assert combined.notna().sum() >= 2, "at least two scored algorithms, or there is no choice to check"
    recommended = comparison.index[comparison["is_recommended"]].tolist()
    assert recommended == [combined.idxmax()]
    reason = comparison.loc[recommended[0], "reason"]
    assert reason.startswith(f"highest silhouette x (1 - noise share) = {combined.max():.3f}")
    # the spec's own run scores its assignments: same silhouette as the per-row mean
    assigned = query("select avg(silhouette) as s from workbench_assignments where spec_name = 'wine'")["s"].item()
    assert comparison.loc["kmeans", "silhouette"] == pytest.approx(assigned, abs=1e-12)


def test_assignments_carry_row_scores(query):
    """normalized_distance is the distance over the cluster's RMS radius (mean square 1 over its members,
    recomputed here), noise rows scored against their nearest centre; margin is there whenever the spec has
    two or more clusters, and never negative for k-means (nearest-centre assignment)."""
    rows = query("select spec_name, cluster_id, distance_to_centre, normalized_distance, margin "
                 "from workbench_assignments")
    assert rows[["distance_to_centre", "normalized_distance"]].notna().all().all()
    assert (rows["normalized_distance"] >= 0).all() and (rows["distance_to_centre"] >= 0).all()
    members = rows[rows["cluster_id"] >= 0]
    n_clusters = members.groupby("spec_name")["cluster_id"].transform("nunique")
    assert members.loc[n_clusters >= 2, "margin"].notna().all()
    mean_square = (members["normalized_distance"] ** 2).groupby([members["spec_name"], members["cluster_id"]]).mean()
    assert ((mean_square - 1).abs() < 1e-9).all()
    spec_algorithm = {p.stem: yaml.safe_load(p.read_text())["algorithm"]["name"]
                      for p in (PROJECT_ROOT / "specs").glob("*.yml")}
    kmeans = rows["spec_name"].map(spec_algorithm) == "kmeans"
    assert kmeans.any() and (rows.loc[kmeans, "margin"] >= -1e-9).all()
