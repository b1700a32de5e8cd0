"""Settings of the customer segmentation (cluster_marts.config.segmentation)."""

import json

import pytest

from cluster_marts.config.segmentation import segmentation_settings_from_meta, settings_json
from cluster_marts.errors import SettingsError

MODEL = "int_customer_k_selection"
BASE = {"id_column": "customer_id", "axes": {"engagement": ["f", "m"], "returns": ["r"]}}


def _s(**extra):
    return segmentation_settings_from_meta({**BASE, **extra}, model=MODEL)


def test_defaults():
    s = _s()
    assert s.methods == ("fcm", "gmm")
    assert (s.k_min, s.k_max, s.selection_rule, s.balance_weights) == (2, 8, "balanced", (0.4, 0.6))
    assert (s.fcm.m, s.fcm.max_iter, s.fcm.tol, s.fcm.n_init) == (2.0, 150, 1e-5, 3)
    assert (s.gmm.covariance_type, s.gmm.max_iter, s.gmm.n_init) == ("full", 200, 2)
    assert (s.neural.encoding_dim, s.neural.hidden_units, s.neural.epochs, s.neural.batch_size) == (3, 16, 200, 64)
    sub = s.subdivision
    assert (sub.max_variance, sub.max_share, sub.min_size, sub.max_depth, sub.k_max) == (2.0, 0.6, 100, 3, 4)
    assert sub.diameter_factor == 1.5
    assert (s.random_state, s.silhouette_sample_size, s.high_confidence, s.low_confidence) == (42, 2000, 0.9, 0.6)
    assert s.features_of("engagement") == ("f", "m")


def test_strings_from_dbt_vars_are_coerced():
    s = _s(k_min="3", k_max="6", random_state="7", fcm={"m": "1.5", "tol": "1e-6"}, methods="gmm, FCM",
           axes='{"a": "x, y"}', balance_weights={"silhouette": "1", "balance": "3"})
    assert (s.k_min, s.k_max, s.random_state, s.fcm.m, s.fcm.tol) == (3, 6, 7, 1.5, 1e-6)
    assert s.methods == ("gmm", "fcm")
    assert s.axes == (("a", ("x", "y")),)
    assert s.balance_weights == (0.25, 0.75)


def test_settings_json_is_sorted_and_complete():
    blob = json.loads(settings_json(_s()))
    assert list(blob) == sorted(blob)
    assert blob["axes"] == {"engagement": ["f", "m"], "returns": ["r"]}
    assert blob["balance_weights"] == {"silhouette": 0.4, "balance": 0.6}
    assert blob["fcm"]["m"] == 2.0


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"clusters": 3}, (r"int_customer_k_selection: setting 'clusters'=3 is not a known key; "
                           r"allowed values: id_column, axes, .*, low_confidence, store_fits, description, owner")),
        ({"fcm": {"m": 1.0}}, r"'fcm.m'=1.0 is out of range; allowed values: a number > 1 and <= 1000000 \("),
        ({"fcm": {"m": "0.5"}}, r"'fcm.m'='0.5' is out of range; allowed values: a number > 1 and"),
        ({"fcm": {"tol": 0}}, r"'fcm.tol'=0 is out of range; allowed values: a number > 0 and <= 1 \("),
        ({"fcm": {"fuzziness": 2}},
         r"'fcm.fuzziness'=2 is not a known key; allowed values: m, max_iter, tol, n_init \("),
        ({"gmm": {"covariance_type": "banded"}},
         r"'gmm.covariance_type'='banded' is not allowed; allowed values: full, tied, diag, spherical \("),
        ({"balance_weights": {"silhouette": -1, "balance": 1}},
         r"'balance_weights.silhouette'=-1 is out of range; allowed values: a number >= 0 \("),
        ({"balance_weights": {"silhouette": 0, "balance": 0}},
         r"'balance_weights'=\{'silhouette': 0, 'balance': 0\} must have a positive weight"),
        ({"balance_weights": {"size": 1}},
         r"'balance_weights.size'=1 is not a known key; allowed values: silhouette, balance \("),
        ({"axes": {"engagement": []}},
         r"'axes.engagement'=\[\] is empty; allowed values: a non-empty list of numeric column names"),
        ({"axes": {"engagement": None}}, r"'axes.engagement'=None is empty; allowed values: a non-empty list"),
        ({"axes": {}}, r"'axes'={} is empty; allowed values: a non-empty mapping of axis name -> feature columns"),
        ({"axes": {"a": ["customer_id"]}}, r"must not contain the id column 'customer_id'"),
        ({"methods": ["fcm", "dbscan"]}, r"'methods'='dbscan' is not allowed; allowed values: fcm, gmm, neural \("),
        ({"selection_rule": "elbow"},
         r"'selection_rule'='elbow' is not allowed; allowed values: balanced, silhouette \("),
        ({"k_min": 5, "k_max": 3}, r"'k_max'=3 must be >= k_min=5"),
        ({"k_min": 1}, r"'k_min'=1 is out of range; allowed values: an integer >= 2 \("),
        ({"subdivision": {"max_share": 1.5}},
         r"'subdivision.max_share'=1.5 is out of range; allowed values: a number > 0 and <= 1 \("),
        ({"subdivision": {"diameter_factor": 0}},
         r"'subdivision.diameter_factor'=0 is out of range; allowed values: a number > 0 \("),
        ({"subdivision": {"max_depth": -1}},
         r"'subdivision.max_depth'=-1 is out of range; allowed values: an integer >= 0 and <= 100"),
        ({"low_confidence": 0.95}, r"'low_confidence'=0.95 must be <= high_confidence=0.9"),
        ({"neural": {"epochs": "many"}}, r"'neural.epochs'='many' must be an integer"),
        ({"neural": "not json"}, r"'neural'='not json' must be a mapping"),
    ],
)
def test_bad_settings_name_model_setting_and_fix(extra, match):
    with pytest.raises(SettingsError, match=match) as info:
        _s(**extra)
    assert MODEL in str(info.value)
    assert "config.meta" in str(info.value)


def test_missing_id_column():
    with pytest.raises(SettingsError, match=r"^model int_customer_k_selection: setting 'id_column'=None is required; "
                                            r"allowed values: the entity id column"):
        segmentation_settings_from_meta({"axes": {"a": ["x"]}}, model=MODEL)
    with pytest.raises(SettingsError, match=r"setting 'id_column'='null' is required \(also missing: axes\)"):
        segmentation_settings_from_meta({"id_column": "null"}, model=MODEL)
