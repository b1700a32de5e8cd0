"""One k-selection table for every domain: the Python frames, the SQL cast macro and the mart contracts agree."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.datasets import make_blobs

from cluster_marts.adapters import partition
from cluster_marts.adapters.customers import pipeline as customers
from cluster_marts.adapters.workbench.analysis import run_spec
from cluster_marts.config.spec import parse_spec
from cluster_marts.selection.table import K_SELECTION_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = [
    "axis", "method", "k",
    "inertia", "silhouette", "silhouette_method", "calinski_harabasz", "davies_bouldin",
    "gap", "gap_sd", "gap_references", "balance", "combined_score", "smallest_cluster_share", "largest_share",
    "n_clusters_found", "bic", "aic", "partition_coefficient", "partition_entropy", "reconstruction_error", "stability",
    "is_eligible", "is_knee", "is_silhouette_best", "is_gap_best", "is_combined_best", "is_chosen", "selection_rule",
    "algorithm", "scaling", "random_state", "n_samples", "features", "features_used", "n_components",
    "run_id", "settings_json",
]
MARTS = {  # mart -> (properties file, extra leading key columns)
    "provider_k_selection": ("models/marts/providers/_providers__models.yml", []),
    "dfu_k_selection": ("models/marts/demand/_demand__models.yml", []),
    "customer_k_selection": ("models/marts/customers/_customers__models.yml", []),
    "workbench_k_selection": ("models/marts/workbench/_workbench__models.yml", ["spec_name"]),
}


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    X, y = make_blobs(n_samples=150, centers=[[0, 0], [6, 0], [3, 6]], cluster_std=0.7, random_state=3)
    data = pd.DataFrame({"id": np.arange(150), "x": X[:, 0], "y": X[:, 1], "truth": y})
    provider_meta = {"id_column": "id", "features": ["x", "y"], "k_max": 5}
    demand_meta = {**provider_meta, "selection_rule": "vote", "gap_references": 3, "min_cluster_share": 0.05}
    customer_meta = {"id_column": "id", "axes": {"shape": ["x", "y"]}, "methods": ["fcm", "gmm"], "k_max": 5}
    spec = parse_spec({"name": "blobs", "source": {"ref": "blobs"}, "id_column": "id", "features": ["x", "y"],
                       "algorithm": {"name": "gmm"}, "k_range": [2, 5], "compare": ["kmeans"]})
    return {
        "providers": partition.select_k(data, provider_meta, model="int_provider_k_selection"),
        "demand": partition.select_k(data, demand_meta, model="int_dfu_k_selection"),
        "customers": customers.segment_k_selection(
                customers.segment_all(data, customer_meta, model="int_customer_k_selection")),
        "workbench": run_spec(spec, data)["k_selection"],
    }


def test_the_one_schema():
    assert K_SELECTION_COLUMNS == EXPECTED
    assert partition.K_SELECTION_COLUMNS is K_SELECTION_COLUMNS and customers.K_SELECTION_COLUMNS is K_SELECTION_COLUMNS


def test_every_domain_has_the_schema_in_order_with_one_set_of_types(frames):
    types = frames["providers"].dtypes
    for domain, frame in frames.items():
        assert list(frame.columns) == EXPECTED, domain
        assert frame.dtypes.equals(types), (domain, frame.dtypes[frame.dtypes != types])
    assert frames["providers"]["axis"].isna().all() and frames["demand"]["method"].isna().all()
    assert frames["customers"][["axis", "method"]].drop_duplicates().values.tolist() == [
        ["shape", "fcm"], ["shape", "gmm"]]
    assert frames["workbench"]["axis"].isna().all() and (frames["workbench"]["method"] == "gmm").all()
    # the three planted blobs: every domain chooses k = 3
    for domain, frame in frames.items():
        assert frame.loc[frame["is_chosen"], "k"].tolist() == ([3, 3] if domain == "customers" else [3]), domain
    assert frames["demand"]["selection_rule"].iloc[0] == "vote: elbow=3, silhouette=3, gap=3 -> 3"


def _macro_columns() -> list[tuple[str, str]]:
    sql = (ROOT / "macros" / "engine_outputs.sql").read_text()
    body = sql[sql.index("{% macro cast_k_selection"):]
    body = body[:body.index("{% endmacro %}")]
    # a text column is cast to dbt.type_string() (varchar on DuckDB, string on Spark): the contracts say string
    found = re.findall(r"cast\((\w+) as (\w+|\{\{ dbt\.type_string\(\) \}\})\) as (\w+)", body)
    return [(alias, "string" if "type_string" in typ else typ) for _, typ, alias in found if alias != "key"]


def test_the_cast_macro_casts_exactly_the_schema():
    names = [name for name, _ in _macro_columns()]
    assert sorted(names) == sorted(EXPECTED) and len(names) == len(set(names))
    types = dict(_macro_columns())
    assert {c for c, t in types.items() if t == "boolean"} == {c for c in EXPECTED if c.startswith("is_")}


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_contract_lists_the_macro_columns(mart):
    path, keys = MARTS[mart]
    models = yaml.safe_load((ROOT / path).read_text())["models"]
    model = next(m for m in models if m["name"] == mart)
    assert model["config"]["contract"] == {"enforced": True}
    contract = [(c["name"], c["data_type"]) for c in model["columns"]]
    assert contract == [(key, "string") for key in keys] + _macro_columns()
    sql = (ROOT / Path(path).parent / f"{mart}.sql").read_text()
    assert "cast_k_selection(ref('int_" in sql and "select * from typed" in sql
