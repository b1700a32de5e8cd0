"""Tests for cluster_marts.settings: meta -> validated ClusterSettings."""

import dataclasses

import pytest

from cluster_marts.errors import ClusterMartsError, SettingsError
from cluster_marts.settings import ClusterSettings, settings_from_meta

MODEL = "int_provider_clusters"
BASE = {"id_column": "provider_id", "features": ["avg_price", "avg_speed"]}


def test_defaults():
    s = settings_from_meta(BASE, model=MODEL)
    assert s == ClusterSettings(id_column="provider_id", features=("avg_price", "avg_speed"))
    assert (s.scaling, s.algorithm, s.k_min, s.k_max, s.selection_rule) == ("standard", "kmeans", 2, 8, "silhouette")
    assert (s.n_clusters, s.random_state, s.n_init, s.silhouette_sample_size) == (None, 42, 10, 2000)
    assert s.order_feature == "avg_price"


def test_frozen():
    s = settings_from_meta(BASE, model=MODEL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.k_max = 3


def test_string_values_from_dbt_vars_are_coerced():
    meta = {**BASE, "k_min": "3", "k_max": "8", "random_state": " 7 ", "n_init": 4.0,
            "silhouette_sample_size": "500", "scaling": "RoBuSt", "features": "avg_price, avg_speed"}
    s = settings_from_meta(meta, model=MODEL)
    assert (s.k_min, s.k_max, s.random_state, s.n_init, s.silhouette_sample_size) == (3, 8, 7, 4, 500)
    assert isinstance(s.k_max, int)
    assert s.scaling == "robust"
    assert s.features == ("avg_price", "avg_speed")


def test_fixed_rule_and_n_clusters():
    s = settings_from_meta({**BASE, "selection_rule": "fixed", "n_clusters": "4"}, model=MODEL)
    assert s.n_clusters == 4
    with pytest.raises(SettingsError, match=r"int_provider_clusters.*'n_clusters'.*required"):
        settings_from_meta({**BASE, "selection_rule": "fixed"}, model=MODEL)
    with pytest.raises(SettingsError, match=r"'n_clusters'=9 must lie in the k grid k_min=2\.\.k_max=8"):
        settings_from_meta({**BASE, "selection_rule": "fixed", "n_clusters": 9}, model=MODEL)
    with pytest.warns(RuntimeWarning, match="'n_clusters' is ignored"):
        settings_from_meta({**BASE, "n_clusters": 3}, model=MODEL)


def test_ignored_and_extra_keys():
    s = settings_from_meta({**BASE, "description": "x", "owner": "y", "fuzzifier": 2.0},
                           model=MODEL, extra_keys=("fuzzifier",))
    assert s.features == ("avg_price", "avg_speed")


def test_unknown_key_lists_allowed_keys():
    with pytest.raises(SettingsError, match=r"model int_provider_clusters: unknown config.meta key\(s\) kmax;"
                                            r" allowed keys are: .*k_max"):
        settings_from_meta({**BASE, "kmax": 5}, model=MODEL)


def test_bad_enum_message():
    expected = ("model int_provider_clusters: setting 'scaling'='zscore' is not allowed; "
                "use one of: minmax, none, robust, standard (edit config.meta in the model's YAML)")
    with pytest.raises(SettingsError) as info:
        settings_from_meta({**BASE, "scaling": "zscore"}, model=MODEL)
    assert str(info.value) == expected
    with pytest.raises(SettingsError, match="'algorithm'='dbscan' is not allowed; use one of: agglomerative, gmm"):
        settings_from_meta({**BASE, "algorithm": "dbscan"}, model=MODEL)
    with pytest.raises(SettingsError, match="'selection_rule'='gap' is not allowed"):
        settings_from_meta({**BASE, "selection_rule": "gap"}, model=MODEL)


@pytest.mark.parametrize(
    "update, match",
    [
        ({"k_min": 5, "k_max": "3"}, r"'k_max'=3 must be >= k_min=5"),
        ({"k_min": 1}, r"'k_min'=1 must be >= 2"),
        ({"k_max": "eight"}, r"'k_max'='eight' must be an integer"),
        ({"random_state": 1.5}, r"'random_state'=1.5 must be a whole number"),
        ({"random_state": True}, r"'random_state'=True must be an integer, not a boolean"),
        ({"n_init": 0}, r"'n_init'=0 must be >= 1"),
        ({"features": []}, r"'features'=\[\] must name at least one column"),
        ({"features": ["a", "a"]}, r"lists a twice"),
        ({"features": ["provider_id", "a"]}, r"must not contain the id column 'provider_id'"),
        ({"canonical_order": "avg_size"}, r"'canonical_order'='avg_size' must be one of the features"),
    ],
)
def test_invalid_values(update, match):
    with pytest.raises(SettingsError, match=match) as info:
        settings_from_meta({**BASE, **update}, model=MODEL)
    assert MODEL in str(info.value) and "config.meta" in str(info.value)


@pytest.mark.parametrize("meta", [None, {}, {"features": ["a"]}])
def test_missing_required(meta):
    with pytest.raises(SettingsError, match=r"int_provider_clusters: required setting\(s\) .*missing"):
        settings_from_meta(meta, model=MODEL)


def test_errors_are_value_errors():
    assert issubclass(SettingsError, ClusterMartsError) and issubclass(ClusterMartsError, ValueError)
