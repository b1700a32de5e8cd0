"""One parameter table: a customer method block and a workbench spec check a parameter the same way."""

from __future__ import annotations

import copy
import re

import pytest

from cluster_marts.config.algorithm_params import METHOD_RULES, PARAM_RULES, parse_params
from cluster_marts.config.cluster import settings_from_meta
from cluster_marts.config.rules import Context
from cluster_marts.config.segmentation import segmentation_settings_from_meta
from cluster_marts.config.spec import parse_spec
from cluster_marts.errors import SettingsError

META = {"id_column": "customer_id", "axes": {"engagement": ["f", "m"]}}
SPEC = {"name": "toy", "source": {"ref": "toy"}, "id_column": "id", "features": ["a", "b"]}
ALLOWED = re.compile(r"allowed values: (.*?)(?: \(edit config\.meta in the model's YAML\))?$")


def _customer_error(method: str, params: dict) -> str:
    with pytest.raises(SettingsError) as info:
        segmentation_settings_from_meta({**META, method: params}, model="int_customer_k_selection")
    return str(info.value)


def _spec_error(algorithm: str, params: dict) -> str:
    raw = copy.deepcopy(SPEC) | {"algorithm": {"name": algorithm, "params": params}}
    with pytest.raises(SettingsError) as info:
        parse_spec(raw, file="toy.yml")
    return str(info.value)


# method block / algorithm, parameter, rejected value, allowed values (written out)
SHARED = [
    ("fcm", "m", 1.0, "a number > 1 and <= 1000000"),
    ("fcm", "m", "0.5", "a number > 1 and <= 1000000"),
    ("fcm", "max_iter", 0, "an integer >= 1 and <= 1000000000"),
    ("fcm", "n_init", "many", "an integer >= 1 and <= 10000"),
    ("gmm", "covariance_type", "bogus", "full, tied, diag, spherical"),
    ("gmm", "n_init", 0, "an integer >= 1 and <= 10000"),
    ("gmm", "max_iter", 2.5, "an integer >= 1 and <= 1000000000"),
]


@pytest.mark.parametrize(("block", "name", "value", "allowed"), SHARED)
def test_same_parameter_same_allowed_values_in_meta_and_spec(block, name, value, allowed):
    customer = _customer_error(block, {name: value})
    workbench = _spec_error(block, {name: value})
    assert customer.startswith(f"model int_customer_k_selection: setting '{block}.{name}'={value!r} ")
    assert workbench.startswith(f"spec toy.yml: key 'algorithm.params.{name}'={value!r} ")
    assert ALLOWED.search(customer).group(1) == ALLOWED.search(workbench).group(1) == allowed


def test_n_init_of_provider_settings_is_the_same_parameter():
    with pytest.raises(SettingsError) as info:
        settings_from_meta({"id_column": "id", "features": ["x"], "n_init": 0}, model="int_provider_clusters")
    assert ALLOWED.search(str(info.value)).group(1) == ALLOWED.search(_spec_error("kmeans", {"n_init": 0})).group(1)


def test_defaults_per_context_are_unchanged():
    workbench = {name: {key: rule.default for key, rule in rules.items()} for name, rules in PARAM_RULES.items()}
    assert workbench == {
        "kmeans": {"n_init": 10, "max_iter": 300},
        "minibatch_kmeans": {"n_init": 3, "max_iter": 100, "batch_size": 1024},
        "dbscan": {"eps": 0.5, "min_samples": 5},
        "hdbscan": {"min_cluster_size": 5, "min_samples": 5},
        "optics": {"min_samples": 5, "xi": 0.05, "min_cluster_size": 5},
        "agglomerative": {"linkage": "ward"},
        "spectral": {"affinity": "rbf", "n_neighbors": 10, "n_init": 10},
        "gmm": {"covariance_type": "full", "n_init": 3, "max_iter": 200},
        "fcm": {"m": 2.0, "max_iter": 150, "n_init": 3},
    }
    customer = {name: {key: rule.default for key, rule in rules.items()} for name, rules in METHOD_RULES.items()}
    assert customer == {
        "fcm": {"m": 2.0, "max_iter": 150, "tol": 1e-5, "n_init": 3},
        "gmm": {"covariance_type": "full", "max_iter": 200, "n_init": 2},
        "neural": {"encoding_dim": 3, "hidden_units": 16, "epochs": 200, "batch_size": 64},
    }
    s = segmentation_settings_from_meta(META, model="m")
    assert (s.fcm.m, s.fcm.max_iter, s.fcm.tol, s.fcm.n_init, s.gmm.n_init) == (2.0, 150, 1e-5, 3, 2)


def test_algorithm_specific_bound_and_unknown_parameter():
    # OPTICS needs min_samples >= 2, DBSCAN accepts 1
    assert parse_params("dbscan", {"min_samples": 1}, Context.for_spec("s.yml"))["min_samples"] == 1
    assert "allowed values: an integer >= 2" in _spec_error("optics", {"min_samples": 1})
    message = _spec_error("gmm", {"tol": 1e-3})
    assert message == ("spec toy.yml: key 'algorithm.params.tol'=0.001 is not a parameter of gmm; "
                       "allowed values: covariance_type, n_init, max_iter")


def test_dbt_var_strings_are_accepted_in_both_contexts():
    s = segmentation_settings_from_meta({**META, "gmm": {"n_init": "4"}, "fcm": '{"m": "1.5"}'}, model="m")
    assert (s.gmm.n_init, s.fcm.m) == (4, 1.5)
    spec = parse_spec(copy.deepcopy(SPEC) | {"algorithm": {"name": "gmm", "params": {"n_init": "4"}}})
    assert dict(spec.algorithm.params) == {"covariance_type": "full", "max_iter": 200, "n_init": 4}
