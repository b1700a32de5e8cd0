"""Axis column patterns (``share_*``) of the customer segmentation, expanded against the features table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from cluster_marts.adapters.customers import segment_all, segment_fit_metrics, segment_k_selection
from cluster_marts.adapters.customers.reference import reference_model
from cluster_marts.config.segmentation import expand_axes, is_pattern, segmentation_settings_from_meta
from cluster_marts.errors import SettingsError

MODEL = "int_customer_segmentation"
ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ["customer_id", "log_frequency", "share_kits", "weekend_share", "share_fabric", "share_other", "shares"]


def _settings(axes: dict, **extra):
    return segmentation_settings_from_meta({"id_column": "customer_id", "axes": axes, **extra}, model=MODEL)


def test_patterns_expand_in_the_table_column_order():
    s = _settings({"mix": ["share_*"], "one": ["share_[ko]*", "log_frequency"], "plain": ["weekend_share"],
                   "twice": ["share_fabric", "share_*", "shares"], "char": ["share?"]})
    out = expand_axes(s, COLUMNS, model=MODEL)
    assert out.axes == (
        ("mix", ("share_kits", "share_fabric", "share_other")),
        ("one", ("share_kits", "share_other", "log_frequency")),
        ("plain", ("weekend_share",)),
        ("twice", ("share_fabric", "share_kits", "share_other", "shares")),  # each column once, at its first place
        ("char", ("shares",)),
    )
    assert out.k_max == s.k_max and out.methods == s.methods  # nothing else changes
    assert [is_pattern(e) for e in ("share_*", "a?", "[ab]", "share_fabric")] == [True, True, True, False]


def test_the_id_column_never_matches_and_case_counts():
    s = _settings({"everything": ["*"], "upper": ["Share_*", "log_frequency"]}, id_column="customer_id")
    with pytest.raises(SettingsError, match=r"'axes.upper' pattern 'Share_\*' matches no column"):
        expand_axes(s, COLUMNS, model=MODEL)
    s = _settings({"everything": ["*"]})
    assert expand_axes(s, COLUMNS, model=MODEL).features_of("everything") == tuple(COLUMNS[1:])


def test_a_pattern_matching_nothing_is_a_settings_error_naming_axis_pattern_and_columns():
    s = _settings({"engagement": ["log_frequency"], "category_mix": ["cat_*"]})
    with pytest.raises(SettingsError) as err:
        expand_axes(s, COLUMNS, model=MODEL)
    assert str(err.value) == (
        "model int_customer_segmentation: setting 'axes.category_mix' pattern 'cat_*' matches no column of the "
        "input; available columns: log_frequency, share_kits, weekend_share, share_fabric, share_other, shares; "
        "fix the pattern in config.meta.axes or the upstream model")


def frame(n: int = 240, seed: int = 3) -> pd.DataFrame:
    """Customers with three share columns (two groups), one of them constant, and an unrelated column between."""
    rng = np.random.default_rng(seed)
    group = np.repeat([0, 1], [n // 2, n - n // 2])
    fabric = np.clip(np.where(group == 0, 0.8, 0.2) + rng.normal(0, 0.05, n), 0, 1)
    return pd.DataFrame({"customer_id": [f"c{i:03d}" for i in rng.permutation(n)], "share_fabric": fabric,
                         "log_frequency": rng.normal(0, 1, n), "share_kits": 1 - fabric, "share_other": 0.0})


META = {"id_column": "customer_id", "axes": {"category_mix": ["share_*"]}, "methods": ["fcm", "gmm"], "k_max": 4,
        "random_state": 42}
EXPANDED = ["share_fabric", "share_kits", "share_other"]


def test_the_expanded_list_is_what_the_fit_records():
    features = frame()
    fit = segment_all(features, META, model=MODEL)
    explicit = segment_all(features, {**META, "axes": {"category_mix": EXPANDED}}, model=MODEL)
    assert fit.settings.features_of("category_mix") == tuple(EXPANDED)
    fm, fm_explicit = segment_fit_metrics(fit), segment_fit_metrics(explicit)
    assert (fm["features"] == ",".join(EXPANDED)).all()
    assert (fm["features_used"] == "share_fabric,share_kits").all()  # share_other is 0 for everyone
    assert json.loads(fm["settings_json"].iloc[0])["axes"] == {"category_mix": EXPANDED}
    ks = segment_k_selection(fit)
    assert (ks["features"] == ",".join(EXPANDED)).all() and json.loads(ks["settings_json"].iloc[0])["axes"] == {
        "category_mix": EXPANDED}
    # a pattern and the list it expands to are the same fit, run ids included
    pd.testing.assert_frame_equal(fm, fm_explicit)
    assert (fm["k"] == 2).all()


def test_the_reference_model_uses_the_same_expansion():
    features = frame()
    reference = reference_model(features, META, model="int_customer_reference_model")
    assert reference["feature"].unique().tolist() == ["share_fabric", "share_kits"]
    fcm = segment_fit_metrics(segment_all(features, META, model=MODEL)).query("method == 'fcm'")
    assert reference["run_id"].unique().tolist() == fcm["run_id"].tolist()
    with pytest.raises(SettingsError, match=r"^model int_customer_reference_model: setting 'axes.category_mix' "
                                            r"pattern 'share_\*' matches no column"):
        reference_model(features.drop(columns=EXPANDED), META, model="int_customer_reference_model")


def test_a_pattern_matching_nothing_stops_the_segmentation():
    with pytest.raises(SettingsError, match=r"'axes.category_mix' pattern 'share_\*' matches no column of the input; "
                                            r"available columns: log_frequency;"):
        segment_all(frame()[["customer_id", "log_frequency"]], META, model=MODEL)


def test_the_project_axis_expands_against_the_demo_feature_columns():
    models = yaml.safe_load((ROOT / "python_models/customers/_customers__models.yml").read_text())["models"]
    meta = next(m["config"]["meta"] for m in models if m["name"] == "int_customer_segmentation")
    assert meta["axes"]["category_mix"] == ["share_*"]
    s = segmentation_settings_from_meta({**meta, "k_min": 2, "k_max": 8, "random_state": 42,
                                         "fit_sample_size": 5000, "n_jobs": 1, "store_fits": "pooled"}, model=MODEL)
    shares = [f"share_{c}" for c in ("fabric", "notions", "patterns", "tools", "kits", "books", "other")]
    columns = ["customer_id", "log_frequency", "weekend_share", *shares, "return_rate"]
    assert expand_axes(s, columns, model=MODEL).features_of("category_mix") == tuple(shares)
