"""One parameter table: a customer method block and a workbench spec check a parameter the same way."""

from __future__ import annotations

import copy
import re

import pytest

from cluster_marts.algorithms.registry import ALGORITHMS, make_estimator
from cluster_marts.config.algorithm_params import METHOD_RULES, PARAM_RULES, parse_params
from cluster_marts.config.cluster import settings_from_meta
from cluster_marts.config.coerce import check
from cluster_marts.config.rules import FLOAT, INT, Context
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
        "kmeans": {"n_init": 10, "max_iter": 300, "tol": 1e-4},
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


# the estimator's own check, written out: the bound of the settings table, the estimator's wording
ESTIMATOR = [
    ("fcm", {"m": 1.0e6 + 1}, "parameter 'm'=1000001.0 is not allowed; allowed values: a float > 1 and <= 1000000"),
    ("fcm", {"tol": 2.0}, "parameter 'tol'=2.0 is not allowed; allowed values: a float > 0 and <= 1"),
    ("gmm", {"n_init": 10_001}, "parameter 'n_init'=10001 is not allowed; allowed values: an int >= 1 and <= 10000"),
    ("optics", {"min_samples": 1}, "parameter 'min_samples'=1 is not allowed; allowed values: an int >= 2"),
    ("kmeans", {"random_state": 2**32},
     "parameter 'random_state'=4294967296 is not allowed; allowed values: an int >= 0 and <= 4294967295 or None"),
]


@pytest.mark.parametrize(("name", "params", "message"), ESTIMATOR)
def test_estimator_checks_the_bound_of_the_settings_table(name, params, message):
    k = None if ALGORITHMS[name].density else 3
    with pytest.raises(SettingsError) as info:
        make_estimator(name, k, **params)
    assert str(info.value) == f"{name}: {message}"


def _probes(rule):
    """Values on and just past every bound of a numeric rule; every allowed value and one more of a choice."""
    if rule.kind not in (INT, FLOAT):
        return [*rule.allowed, "bogus"]
    step = 1 if rule.kind == INT else 1e-9
    bounds = [b for b in (rule.low, rule.high) if b is not None]
    return sorted({v for b in bounds for v in (b - step, b, b + step)} | {rule.default})


TABLES = [(name, key, rule) for table in (PARAM_RULES, METHOD_RULES) for name, rules in table.items()
          for key, rule in rules.items()]


@pytest.mark.parametrize(("name", "key", "rule"), TABLES, ids=[f"{n}.{k}" for n, k, _ in TABLES])
def test_estimator_accepts_exactly_what_the_settings_accept(name, key, rule):
    """At each bound of every workbench / customer parameter, the estimator and the settings agree."""
    accepted = ALGORITHMS[name]._param_rules[key]
    for value in _probes(rule):
        value = int(value) if rule.kind == INT else value
        try:
            check(rule, value, Context.for_spec("s.yml"), key)
            settings_ok = True
        except SettingsError:
            settings_ok = False
        estimator_ok = any(value is None if c is None else value in c for c in accepted)
        assert estimator_ok == settings_ok, (name, key, value)
