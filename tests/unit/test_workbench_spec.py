"""Workbench spec: valid specs load; invalid ones name the file, the key path and the allowed values."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from cluster_marts.config.spec import DEFAULT_COMPARE, load_spec, parse_spec
from cluster_marts.errors import SettingsError

ROOT = Path(__file__).resolve().parents[2]
BASE = {
    "name": "toy", "source": {"path": "toy.csv", "format": "csv"}, "id_column": "id",
    "features": ["a", "b"], "algorithm": {"name": "kmeans"},
}


def spec_with(**changes):
    raw = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return raw


def test_defaults_fill_in():
    spec = parse_spec(spec_with(), file="toy.yml")
    assert spec.preprocessing.scaling == "standard"
    assert spec.preprocessing.reduction.n_components == 2
    assert spec.k_range == (2, 8) and spec.n_clusters is None
    assert spec.random_state == 42 and spec.compare == DEFAULT_COMPARE
    assert dict(spec.algorithm.params) == {"max_iter": 300, "n_init": 10, "tol": 1e-4}
    assert "ari" not in spec.metrics


def test_spec_is_frozen():
    spec = parse_spec(spec_with())
    with pytest.raises(AttributeError):
        spec.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        spec.algorithm.params["n_init"] = 1  # type: ignore[index]


def test_shipped_wine_spec_loads():
    spec = load_spec(ROOT / "specs" / "wine.yml")
    assert spec.target == "cultivar" and spec.n_clusters == 3 and {"ari", "nmi"} <= set(spec.metrics)


def test_ref_source_and_density_algorithm():
    spec = parse_spec(spec_with(source={"ref": "customer_features"}, algorithm={"name": "dbscan",
                                                                                  "params": {"eps": 0.3}}))
    assert spec.source.ref == "customer_features" and spec.k_range is None
    assert spec.algorithm.params["eps"] == 0.3 and spec.algorithm.params["min_samples"] == 5
    assert spec.source.describe() == "ref customer_features"


def test_dbt_source_source():
    spec = parse_spec(spec_with(source={"source": ["raw", "wine"]}))
    assert spec.source.source == ("raw", "wine") and spec.source.ref is None and spec.source.path is None
    assert spec.source.describe() == "source raw.wine"
    assert parse_spec(spec_with()).source.describe() == "file toy.csv"


INVALID = [
    ({"preprocessing": {"scaling": "zscore"}}, r"'preprocessing\.scaling'='zscore'.*allowed values: minmax, none, robust, standard"),
    ({"preprocessing": {"reduction": {"method": "isomap"}}},
     r"'preprocessing\.reduction\.method'.*allowed values: pca, tsne, umap, none"),
    ({"preprocessing": {"reduction": {"method": "pca", "n_components": 1}}}, r"'preprocessing\.reduction\.n_components'=1 is out of range; allowed values: an integer >= 2$"),
    ({"preprocessing": {"outliers": {"method": "isolation_forest", "contamination": 0.7}}}, r"'preprocessing\.outliers\.contamination'=0\.7.*> 0 and < 0\.5"),
    ({"preprocessing": {"feature_selection": {"min_variance": -1}}}, r"'preprocessing\.feature_selection\.min_variance'=-1.*>= 0"),
    ({"preprocessing": {"scalng": "standard"}}, r"'preprocessing\.scalng'.*not a known key.*allowed values: scaling, reduction, feature_selection, outliers"),
    ({"colour": "red"}, r"'colour'.*not a known key.*allowed values: name, source"),
    ({"algorithm": {"name": "kmedoids"}}, r"'algorithm\.name'='kmedoids'.*allowed values: kmeans, minibatch_kmeans, dbscan"),
    ({"algorithm": {"name": "dbscan", "params": {"eps": 0}}}, r"'algorithm\.params\.eps'=0.*a number > 0"),
    ({"algorithm": {"name": "dbscan", "params": {"min_samples": 0}}}, r"'algorithm\.params\.min_samples'=0.*an integer >= 1"),
    ({"algorithm": {"name": "agglomerative", "params": {"linkage": "centroid"}}}, r"'algorithm\.params\.linkage'='centroid'.*allowed values: ward, complete, average, single"),
    ({"algorithm": {"name": "gmm", "params": {"covariance_type": "block"}}}, r"'algorithm\.params\.covariance_type'.*allowed values: full, tied, diag, spherical"),
    ({"algorithm": {"name": "fcm", "params": {"m": 1}}}, r"'algorithm\.params\.m'=1.*a number > 1"),
    ({"algorithm": {"name": "kmeans", "params": {"eps": 1}}}, r"'algorithm\.params\.eps'.*not a parameter of kmeans.*allowed values: n_init, max_iter"),
    ({"algorithm": {"name": "dbscan"}, "n_clusters": 3}, r"'n_clusters'=3.*forbidden for dbscan"),
    ({"algorithm": {"name": "hdbscan"}, "k_range": [2, 5]}, r"'k_range'.*forbidden for hdbscan"),
    ({"n_clusters": 3, "k_range": [2, 5]}, r"'k_range'.*cannot be combined with n_clusters"),
    ({"k_range": [5, 2]}, r"'k_range'=\[5, 2\] has min > max"),
    ({"metrics": ["silhouette", "ari"]}, r"'metrics'.*ari/nmi without a target"),
    ({"metrics": ["accuracy"]}, r"'metrics'='accuracy'.*allowed values: silhouette, calinski_harabasz"),
    ({"figures": ["dendrogram"]}, r"'figures'.*dendrogram of a non-hierarchical run"),
    ({"compare": ["kmeans", "birch"]}, r"'compare'='birch'.*allowed values: kmeans"),
    ({"source": {"path": "x.xlsx"}}, r"'source\.format'='xlsx'.*allowed values: csv, parquet, json"),
    ({"source": {"path": "x.csv", "ref": "m"}}, r"'source'.*exactly one of ref, source or path"),
    ({"source": {"ref": "m", "source": ["raw", "m"]}}, r"'source'.*exactly one of ref, source or path"),
    ({"source": {"source": ["raw"]}}, r"'source\.source'=\['raw'\] must be \[source name, table name\]"),
    ({"source": {"ref": "m", "format": "csv"}}, r"'source\.format'='csv' only goes with source\.path"),
    ({"features": []}, r"'features'=\[\] is empty; allowed values: a non-empty list of numeric column names"),
    ({"name": "My Spec"}, r"'name'='My Spec' must be snake_case"),
    ({"id_column": None}, r"'id_column'=None is required"),
]


@pytest.mark.parametrize(("changes", "message"), INVALID)
def test_invalid_specs_name_file_key_and_allowed_values(changes, message):
    raw = spec_with(**{k: v for k, v in changes.items() if v is not None})
    for key, value in changes.items():
        if value is None:
            raw.pop(key)
    with pytest.raises(SettingsError, match=r"^spec bad\.yml: key " + message):
        parse_spec(raw, file="bad.yml")


def test_load_spec_names_the_file(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text("name: broken\nsource: {ref: m}\nid_column: id\nfeatures: [a]\n"
                    "algorithm: {name: kmeans}\npreprocessing: {scaling: log}\n")
    with pytest.raises(SettingsError, match=r"broken\.yml: key 'preprocessing\.scaling'='log'"):
        load_spec(path)
