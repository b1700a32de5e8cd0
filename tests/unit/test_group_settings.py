"""Settings of the group-comparison model (cluster_marts.config.groups, profiling.regional.parse_group_settings)."""

from __future__ import annotations

import pytest

from cluster_marts.config.groups import GroupSettings, group_settings_from_meta
from cluster_marts.errors import SettingsError
from cluster_marts.profiling.regional import parse_group_settings

MODEL = "int_regional_tests"
BASE = {"group_column": "region", "metrics": {"intelligence": "intelligence_index", "price": "blended_price_usd"}}


def test_defaults_and_configuration_order():
    s = group_settings_from_meta({**BASE, "description": "x", "owner": "y"}, model=MODEL)
    assert s == GroupSettings("region", (("intelligence", "intelligence_index"), ("price", "blended_price_usd")))
    assert s.alpha == 0.05
    assert parse_group_settings(BASE, model=MODEL) == (
        "region", {"intelligence": "intelligence_index", "price": "blended_price_usd"}, 0.05)


def test_strings_from_dbt_vars():
    s = group_settings_from_meta({"group_column": " region ", "metrics": '{"price": "p"}', "alpha": "0.1"}, model=MODEL)
    assert (s.group_column, s.metrics, s.alpha) == ("region", (("price", "p"),), 0.1)


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"alpha": 1}, "setting 'alpha'=1 is out of range; allowed values: a number > 0 and < 1"),
        ({"alpha": "0"}, "setting 'alpha'='0' is out of range; allowed values: a number > 0 and < 1"),
        ({"alpha": "five percent"}, "setting 'alpha'='five percent' must be a number; allowed values: a number > 0"),
        ({"metrics": {}},
         "setting 'metrics'={} is empty; allowed values: a non-empty mapping of metric name -> column"),
        ({"metrics": ["price"]}, "setting 'metrics'=['price'] must be a mapping; allowed values: a non-empty mapping"),
        ({"metrics": {"price": None}}, "setting 'metrics.price'=None must be a string; allowed values: a column name"),
        ({"group_column": None}, "setting 'group_column'=None is required; allowed values: a column name, e.g. region"),
        ({"groups": "region"},
         "setting 'groups'='region' is not a known key; allowed values: group_column, metrics, alpha, description"),
    ],
)
def test_invalid_settings_name_model_key_and_allowed_values(update, message):
    with pytest.raises(SettingsError) as info:
        parse_group_settings({**BASE, **update}, model=MODEL)
    assert str(info.value).startswith(f"model {MODEL}: {message}")
    assert str(info.value).endswith("(edit config.meta in the model's YAML)")


def test_missing_metrics():
    with pytest.raises(SettingsError, match=rf"^model {MODEL}: setting 'metrics'=None is required"):
        parse_group_settings({"group_column": "region"}, model=MODEL)
