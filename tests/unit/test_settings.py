"""Tests for cluster_marts.config.cluster: meta -> validated ClusterSettings."""

import dataclasses

import pytest

from cluster_marts.config.cluster import ClusterSettings, settings_from_meta
from cluster_marts.errors import ClusterMartsError, SettingsError

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
    with pytest.raises(SettingsError, match=r"model int_provider_clusters: setting 'kmax'=5 is not a known key; "
                                            r"allowed values: id_column, features, .*k_max.*, description, owner "
                                            r"\(edit config.meta"):
        settings_from_meta({**BASE, "kmax": 5}, model=MODEL)
    with pytest.raises(SettingsError, match=r"setting 'kmax'=5 is not a known key \(also unknown: kmin\)"):
        settings_from_meta({**BASE, "kmax": 5, "kmin": 1}, model=MODEL)


def test_bad_enum_message():
    expected = ("model int_provider_clusters: setting 'scaling'='zscore' is not allowed; "
                "allowed values: minmax, none, robust, standard (edit config.meta in the model's YAML)")
    with pytest.raises(SettingsError) as info:
        settings_from_meta({**BASE, "scaling": "zscore"}, model=MODEL)
    assert str(info.value) == expected
    with pytest.raises(SettingsError,
                       match="'algorithm'='dbscan' is not allowed; allowed values: agglomerative, gmm, kmeans "):
        settings_from_meta({**BASE, "algorithm": "dbscan"}, model=MODEL)
    with pytest.raises(SettingsError, match="'selection_rule'='bic' is not allowed; allowed values: .*gap, "
                                            "silhouette, stability, vote "):
        settings_from_meta({**BASE, "selection_rule": "bic"}, model=MODEL)


@pytest.mark.parametrize(
    "update, match",
    [
        ({"k_min": 5, "k_max": "3"}, r"'k_max'=3 must be >= k_min=5"),
        ({"k_min": 1}, r"'k_min'=1 is out of range; allowed values: an integer >= 2 \("),
        ({"k_max": "eight"}, r"'k_max'='eight' must be an integer"),
        ({"random_state": 1.5}, r"'random_state'=1.5 must be a whole number"),
        ({"random_state": True}, r"'random_state'=True must be an integer, not a boolean"),
        ({"n_init": 0}, r"'n_init'=0 is out of range; allowed values: an integer >= 1 and <= 10000 \("),
        ({"features": []}, r"'features'=\[\] is empty; allowed values: a non-empty list of numeric column names"),
        ({"features": ["a", "a"]}, r"lists a twice"),
        ({"features": ["provider_id", "a"]}, r"must not contain the id column 'provider_id'"),
        ({"canonical_order": "avg_size"}, r"'canonical_order'='avg_size' must be one of the features"),
        ({"gap_references": -1}, r"'gap_references'=-1 is out of range; allowed values: an integer >= 0 \("),
        ({"min_cluster_share": 0.5},
         r"'min_cluster_share'=0.5 is out of range; allowed values: a number >= 0 and < 0.5 \("),
        ({"min_cluster_share": "-0.01"},
         r"'min_cluster_share'='-0.01' is out of range; allowed values: a number >= 0 and < 0.5"),
        ({"min_cluster_share": "a lot"}, r"'min_cluster_share'='a lot' must be a number"),
        ({"min_cluster_share": True}, r"'min_cluster_share'=True must be a number, not a boolean"),
        ({"min_variance": -1}, r"'min_variance'=-1 is out of range; allowed values: a number >= 0 \(edit"),
        ({"min_variance": "nan"}, r"'min_variance'='nan' must be a finite number"),
        ({"pca_components": 0}, r"'pca_components'=0 is out of range; allowed values: an integer >= 1, or null \("),
        ({"pca_components": 1.5}, r"'pca_components'=1.5 must be a whole number"),
        ({"pca_components": "3"}, r"'pca_components'=3 exceeds the 2 configured feature\(s\)"),
        ({"categorical_features": ["region", "avg_speed"]},
         r"'categorical_features'=\['region', 'avg_speed'\] repeats 'avg_speed' from features; list each column once"),
        ({"categorical_features": "provider_id"}, r"'categorical_features'=.* must not contain the id column"),
        ({"categorical_features": "region, region"}, r"'categorical_features'='region, region' lists region twice"),
        ({"categorical_features": 5},
         r"'categorical_features'=5 must be a list; allowed values: a list of column names"),
        ({"max_categories": 0}, r"'max_categories'=0 is out of range; allowed values: an integer >= 1 \("),
        ({"max_categories": "many"}, r"'max_categories'='many' must be an integer"),
    ],
)
def test_invalid_values(update, match):
    with pytest.raises(SettingsError, match=match) as info:
        settings_from_meta({**BASE, **update}, model=MODEL)
    assert MODEL in str(info.value) and "config.meta" in str(info.value)


@pytest.mark.parametrize(
    "meta, also",
    [(None, r" \(also missing: features\)"), ({}, r" \(also missing: features\)"), ({"features": ["a"]}, "")],
)
def test_missing_required(meta, also):
    expected = (rf"^model int_provider_clusters: setting 'id_column'=None is required{also}; "
                r"allowed values: the entity id column, e.g. customer_id \(edit config.meta")
    with pytest.raises(SettingsError, match=expected):
        settings_from_meta(meta, model=MODEL)


def test_errors_are_value_errors():
    assert issubclass(SettingsError, ClusterMartsError) and issubclass(ClusterMartsError, ValueError)


def test_new_settings_defaults_keep_the_provider_behaviour():
    s = settings_from_meta(BASE, model=MODEL)
    assert (s.gap_references, s.min_cluster_share, s.min_variance, s.pca_components) == (0, 0.0, 0.0, None)


def test_new_settings_are_coerced_from_dbt_var_strings():
    meta = {**BASE, "gap_references": "10", "min_cluster_share": "0.01", "min_variance": " 0.01 ",
            "pca_components": "2", "selection_rule": "VOTE"}
    s = settings_from_meta(meta, model=MODEL)
    assert (s.gap_references, s.min_cluster_share, s.min_variance, s.pca_components) == (10, 0.01, 0.01, 2)
    assert isinstance(s.min_cluster_share, float) and isinstance(s.gap_references, int)
    assert s.selection_rule == "vote"
    # an integer 0 from YAML is stored as a float; "null" switches PCA off
    s = settings_from_meta({**BASE, "min_cluster_share": 0, "pca_components": "null"}, model=MODEL)
    assert s.min_cluster_share == 0.0 and isinstance(s.min_cluster_share, float) and s.pca_components is None


@pytest.mark.parametrize("rule", ["vote", "gap"])
def test_gap_rules_need_references(rule):
    expected = (rf"model {MODEL}: setting 'gap_references'=0 is too low: selection_rule '{rule}' needs "
                r"gap_references >= 1; set gap_references: 10")
    with pytest.raises(SettingsError, match=expected):
        settings_from_meta({**BASE, "selection_rule": rule}, model=MODEL)
    assert settings_from_meta({**BASE, "selection_rule": rule, "gap_references": 1}, model=MODEL).gap_references == 1


def test_categorical_features_default_empty_and_coerced():
    s = settings_from_meta(BASE, model=MODEL)
    assert (s.categorical_features, s.max_categories) == ((), 50)
    for empty in ([], "", None, "null", " , "):
        assert settings_from_meta({**BASE, "categorical_features": empty}, model=MODEL) == s
    s = settings_from_meta({**BASE, "categorical_features": " region , channel", "max_categories": "20"}, model=MODEL)
    assert (s.categorical_features, s.max_categories) == (("region", "channel"), 20)
    assert settings_from_meta({**BASE, "categorical_features": ["region"]}, model=MODEL).categorical_features == (
        "region",)


def test_pca_size_is_checked_at_run_time_when_categoricals_are_set():
    # the one-hot columns are only known from the data, so 3 components may be valid here
    s = settings_from_meta({**BASE, "categorical_features": ["region"], "pca_components": 3}, model=MODEL)
    assert s.pca_components == 3
