"""One k-selection table for every domain: the Python frames and the one YAML contract of the marts agree.

The k-selection columns are written once, in models/marts/_k_selection__models.yml (the columns of
provider_k_selection, an anchor the other k-selection marts use); a column added on one side only fails here.
"""

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
PROPERTIES = "models/marts/_k_selection__models.yml"
MARTS = {  # mart -> (folder, the view it reads, extra leading key columns)
    "provider_k_selection": ("providers", "int_provider_k_selection", []),
    "dfu_k_selection": ("demand", "int_dfu_k_selection", []),
    "customer_k_selection": ("customers", "int_customer_k_selection", []),
    "workbench_k_selection": ("workbench", "int_workbench_k_selection", ["spec_name"]),
}
#: the pandas dtype of each contract type in the engine's frames
DTYPES = {"string": {"object", "str", "string"}, "integer": {"int64", "Int64"}, "double": {"float64"},
          "boolean": {"bool"}}


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


def _contract() -> list[tuple[str, str]]:
    """The one k-selection schema: the columns of provider_k_selection, anchored in PROPERTIES."""
    models = yaml.safe_load((ROOT / PROPERTIES).read_text())["models"]
    model = next(m for m in models if m["name"] == "provider_k_selection")
    return [(c["name"], c["data_type"]) for c in model["columns"]]


def test_the_contract_is_the_engine_schema(frames):
    contract = dict(_contract())
    assert sorted(contract) == sorted(K_SELECTION_COLUMNS) and len(contract) == len(_contract())
    assert {c for c, t in contract.items() if t == "boolean"} == {c for c in EXPECTED if c.startswith("is_")}
    for column, dtype in frames["providers"].dtypes.items():
        assert str(dtype) in DTYPES[contract[column]], (column, dtype, contract[column])


def test_the_schema_is_written_once():
    text = (ROOT / PROPERTIES).read_text()
    assert "columns: &k_selection_columns" in text
    assert text.count("columns: *k_selection_columns") == 2  # dfu, customers; the workbench: spec_name + aliases
    for path in (ROOT / "models").rglob("*.yml"):  # no other file declares a k-selection mart
        if path != ROOT / PROPERTIES:
            names = {m["name"] for m in (yaml.safe_load(path.read_text()) or {}).get("models", [])}
            assert not names & set(MARTS), path
    assert "settings_json" not in (ROOT / "models/docs/k_selection.md").read_text()


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_contract_is_the_one_schema(mart):
    folder, view, keys = MARTS[mart]
    models = yaml.safe_load((ROOT / PROPERTIES).read_text())["models"]
    model = next(m for m in models if m["name"] == mart)
    assert model["config"]["contract"] == {"enforced": True}
    contract = [(c["name"], c["data_type"]) for c in model["columns"]]
    assert contract == [(key, "string") for key in keys] + _contract()
    sql = (ROOT / "models/marts" / folder / f"{mart}.sql").read_text()
    assert f"{{{{ cast_to_contract(ref('{view}')) }}}}" in sql and "select * from typed" in sql
    views = list((ROOT / "python_models").rglob(f"{view}.sql"))
    if views:  # a view over a long table selects the mart's contract columns
        assert f"contract_column_names('{mart}')" in views[0].read_text()
