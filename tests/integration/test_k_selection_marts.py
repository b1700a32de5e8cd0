"""The four k-selection marts of the build share one schema, and the registry reads three of them alike."""

from __future__ import annotations

import pytest

from cluster_marts.selection.table import K_SELECTION_COLUMNS

pytestmark = pytest.mark.integration
MARTS = ["provider_k_selection", "dfu_k_selection", "customer_k_selection", "workbench_k_selection"]


def test_every_k_selection_mart_has_the_one_schema(query):
    described = {m: query(f"describe {m}")[["column_name", "column_type"]] for m in MARTS}
    reference = described["provider_k_selection"]
    assert sorted(reference["column_name"]) == sorted(K_SELECTION_COLUMNS)
    for mart, columns in described.items():
        keys = ["spec_name"] if mart == "workbench_k_selection" else []
        assert columns["column_name"].tolist() == keys + reference["column_name"].tolist(), mart
        assert columns["column_type"].tolist()[len(keys):] == reference["column_type"].tolist(), mart


def test_one_chosen_k_per_run_and_nulls_where_a_domain_has_none(query):
    for mart, keys in [("provider_k_selection", []), ("dfu_k_selection", []),
                       ("customer_k_selection", ["axis", "method"]), ("workbench_k_selection", ["spec_name"])]:
        by = ", ".join(keys) or "run_id"
        chosen = query(f"select {by}, sum(cast(is_chosen as integer)) as n from {mart} group by {by}")
        assert len(chosen) >= 1 and (chosen["n"] == 1).all(), mart
        flags = query(f"select count(*) as n from {mart} where is_chosen and not is_eligible")["n"].item()
        assert flags == 0, mart
    for mart in ["provider_k_selection", "dfu_k_selection"]:
        assert query(f"select count(*) as n from {mart} where axis is not null or method is not null"
                     )["n"].item() == 0
    customers = query("select * from customer_k_selection")
    assert customers[["axis", "method", "inertia", "silhouette", "balance", "combined_score"]].notna().all().all()
    assert (customers["algorithm"] == customers["method"]).all() and customers["gap"].isna().all()
    assert customers.loc[customers["method"] == "gmm", "bic"].notna().all()
    assert customers.loc[customers["method"] != "gmm", "bic"].isna().all()


def test_registry_runs_are_the_chosen_rows_of_the_k_selection_marts(query):
    """Each chosen row of a mart is one registry row: same run id, settings (hash), method and k.

    A persistent warehouse keeps older rows too, e.g. the same run id under an
    earlier settings record, so the match includes the settings hash.
    """
    runs = query("select domain, scope, run_id, settings_hash, method, n_clusters, silhouette from clustering_runs")
    for domain, mart in [("providers", "provider_k_selection"), ("demand", "dfu_k_selection"),
                         ("customers", "customer_k_selection")]:
        chosen = query(f"select axis as scope, run_id, md5(settings_json) as settings_hash, algorithm as method, "
                       f"k as n_clusters, silhouette from {mart} where is_chosen")
        got = runs[runs["domain"] == domain].merge(chosen, on=["run_id", "settings_hash", "method", "n_clusters"],
                                                   suffixes=("", "_mart"))
        assert len(got) == len(chosen) >= 1, domain
        assert (got["silhouette"] - got["silhouette_mart"]).abs().max() < 1e-12, domain


def test_registry_has_one_line_per_workbench_spec_with_its_fit(query):
    """The workbench registers the fit each spec asked for: scope = the spec's name, its algorithm, the clusters
    it found (noise aside) and its own scores, under the run id and settings of its k selection."""
    runs = query("select scope, run_id, settings_hash, method, n_clusters, n_samples, silhouette, inertia "
                 "from clustering_runs where domain = 'workbench'")
    chosen = query("select spec_name as scope, run_id, md5(settings_json) as settings_hash, method, n_samples "
                   "from workbench_k_selection where is_chosen")
    fitted = query("select spec_name as scope, count(distinct cluster_id) filter (where cluster_id >= 0) as k, "
                   "count(*) as rows from workbench_assignments group by 1")
    scores = query("select spec_name as scope, metric, value from workbench_metrics").pivot(
        index="scope", columns="metric", values="value").reset_index()
    got = runs.merge(chosen, on=["scope", "run_id", "settings_hash", "method", "n_samples"]).merge(
        fitted, on="scope").merge(scores, on="scope", suffixes=("", "_mart"))
    assert sorted(got["scope"]) == sorted(fitted["scope"]) and len(got) >= 2
    assert (got["n_clusters"] == got["k"]).all() and (got["n_samples"] == got["rows"]).all()
    assert (got["silhouette"] - got["silhouette_mart"]).abs().max() < 1e-12
    assert (got["inertia"] - got["inertia_mart"]).abs().max() < 1e-9
