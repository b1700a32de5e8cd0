"""The clustering workbench in the build: every shipped spec has its marts, and
the wine spec reports ARI/NMI against the real cultivars that match
scikit-learn's own functions on the same assignments. The customers spec clusters
the dbt model customer_features: built alone on an empty warehouse, its model is
downstream of customer_features in dbt's manifest and its clusters recover the
planted personas."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from conftest import run_dbt
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

pytestmark = pytest.mark.integration
PROJECT_ROOT = Path(__file__).resolve().parents[2]
TABLES = ["assignments", "clusters", "centres", "metrics", "feature_importance", "representatives",
          "comparison", "suggestions", "k_selection"]


@pytest.fixture(scope="module")
def customers_alone(raw_dir, tmp_path_factory):
    """`dbt run -s +int_workbench_fit_customers` on an empty warehouse: the spec's model and its parents only."""
    tmp = tmp_path_factory.mktemp("workbench_customers")
    db = tmp / "warehouse.duckdb"
    done = run_dbt(["run", "-s", "+int_workbench_fit_customers"], db=db, project_dir=PROJECT_ROOT,
                   raw=raw_dir.resolve(), tmp=tmp)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    manifest = json.loads((tmp / "dbt_target" / "manifest.json").read_text())
    con = duckdb.connect(str(db), read_only=True)
    try:
        assigned = con.sql("select id, cast(cluster_id as integer) as cluster_id from int_workbench_fit_customers "
                           "where record_type = 'assignments'").df()
        customers = con.sql("select count(*) from customer_features").fetchall()[0][0]
    finally:
        con.close()
    return manifest, assigned, customers


def _ancestors(manifest: dict, node: str) -> set[str]:
    seen, stack = set(), [node]
    while stack:
        for parent in manifest["parent_map"].get(stack.pop(), []):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def test_a_spec_on_a_dbt_model_is_downstream_of_it_in_the_manifest(customers_alone):
    manifest, _, _ = customers_alone
    fit = "model.cluster_marts.int_workbench_fit_customers"
    assert manifest["parent_map"][fit] == ["model.cluster_marts.customer_features"]
    for mart in ("workbench_assignments", "workbench_metrics", "clustering_runs"):
        assert {fit, "model.cluster_marts.customer_features"} <= _ancestors(manifest, f"model.cluster_marts.{mart}")
    wine = "model.cluster_marts.int_workbench_fit_wine"
    assert manifest["parent_map"][wine] == ["source.cluster_marts.raw.wine"]
    assert "wine" in manifest["nodes"][wine]["description"]


def test_the_customers_spec_recovers_the_planted_personas(customers_alone, raw_dir, query):
    """Every customer assigned once, k within the spec's k_range, and the clusters are unions of planted personas
    (the silhouette's k is coarser than the five personas: one-time with occasional, active hobbyist with super
    engaged, enterprise alone on the demo data)."""
    _, assigned, customers = customers_alone
    spec = yaml.safe_load((PROJECT_ROOT / "specs" / "customers.yml").read_text())
    personas = pd.read_parquet(raw_dir / "demo_truth_customers.parquet")
    merged = assigned.merge(personas, left_on="id", right_on="customer_id", validate="one_to_one")
    assert len(assigned) == customers == len(merged) == len(personas)
    k = merged["cluster_id"].nunique()
    assert spec["k_range"][0] <= k <= spec["k_range"][1]
    ari = adjusted_rand_score(merged["persona"], merged["cluster_id"])
    purity = pd.crosstab(merged["persona"], merged["cluster_id"], normalize="index").max(axis=1)
    print(f"customers: k {k}, ARI {ari:.3f} against the planted personas, lowest persona purity {purity.min():.3f}")
    assert ari > 0.4 and purity.min() > 0.95
    # the full build gives the same clusters
    built = query("select id, cluster_id from workbench_assignments where spec_name = 'customers'")
    same = built.merge(assigned, on="id", suffixes=("_built", "_alone"), validate="one_to_one")
    assert len(same) == customers and (same["cluster_id_built"] == same["cluster_id_alone"]).all()


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
