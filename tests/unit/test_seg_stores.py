"""Fits per store (``store_fits: per_store``): every axis fitted once per shop on that shop's customers.

Planted data, two generators: shop ``north`` has two groups, shop ``south`` three other groups in the same
feature plane, overlapping north's. Per store, each fit must find its own shop's groups (ARI against the
planted groups) and publish rows for that shop's customers only; pooled, the shops share one fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.customers import segment_all, segment_assignments
from cluster_marts.adapters.customers.inputs import population_rows, store_axes
from cluster_marts.config.axes import AxisOptions
from cluster_marts.config.segmentation import fits_per_store, segmentation_settings_from_meta
from cluster_marts.errors import SettingsError
from cluster_marts.preprocessing.axis_inputs import SortedInput

MODEL = "int_customer_segmentation"
META = {"id_column": "customer_id", "axes": {"shape": ["x", "y"]}, "methods": ["fcm", "gmm"], "k_max": 6,
        "selection_rule": "silhouette", "subdivision": {"max_depth": 0}, "random_state": 42,
        "store_fits": "per_store"}
#: shop -> planted group centres (south's middle group sits between north's two, on the same diagonal)
CENTRES = {"north": np.array([[0.0, 0.0], [8.0, 8.0]]), "south": np.array([[0.0, 8.0], [8.0, 0.0], [4.0, 4.0]])}


def _gaussian(rng, centres, n):
    y = rng.integers(0, len(centres), n)
    return centres[y] + rng.standard_normal((n, 2)), y


def _boxes(rng, centres, n):
    y = rng.integers(0, len(centres), n)
    return centres[y] + rng.uniform(-1.6, 1.6, size=(n, 2)), y


def planted(generator, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    frames, truth = [], []
    for store, centres in CENTRES.items():
        X, y = generator(rng, centres, 300)
        ids = [f"{store}|c{i:04d}" for i in range(len(y))]
        frames.append(pd.DataFrame({"customer_id": ids, "x": X[:, 0], "y": X[:, 1], "store_id": store}))
        truth.append(pd.Series(y, index=ids))
    return pd.concat(frames, ignore_index=True), pd.concat(truth)


@pytest.fixture(scope="module", params=[(_gaussian, 0), (_boxes, 7)], ids=["gaussian-seed0", "boxes-seed7"])
def case(request):
    generator, seed = request.param
    frame, truth = planted(generator, seed)
    return frame, truth, segment_all(frame, META, model=MODEL)


def test_every_axis_is_fitted_once_per_store(case):
    _, _, fit = case
    assert [axis for axis, _ in fit.settings.axes] == ["shape@north", "shape@south"]
    assert fit.settings.population_of("shape@south") == "store_id = 'south'"


@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_each_store_fit_finds_its_own_planted_groups(case, method):
    frame, truth, fit = case
    assignments = segment_assignments(fit)
    for store, centres in CENTRES.items():
        rows = assignments[(assignments["axis"] == f"shape@{store}") & (assignments["method"] == method)]
        assert sorted(rows["customer_id"]) == sorted(frame.loc[frame["store_id"] == store, "customer_id"])
        assert rows["segment_id"].nunique() == len(centres)
        assert adjusted_rand_score(truth[rows["customer_id"]], rows["segment_id"]) >= 0.9, (store, method)


def test_pooled_or_without_stores_the_configured_axes_are_fitted():
    frame, _ = planted(_gaussian, 0)
    pooled = segment_all(frame, META | {"store_fits": "pooled", "methods": ["fcm"]}, model=MODEL)
    assert [axis for axis, _ in pooled.settings.axes] == ["shape"]
    s = segmentation_settings_from_meta(META, model=MODEL)
    one_shop = SortedInput(frame.drop(columns="store_id"), frame["customer_id"])
    assert store_axes(s, one_shop, MODEL) is s
    assert store_axes(s, SortedInput(frame.assign(store_id=None), frame["customer_id"]), MODEL) is s


def test_a_store_axis_keeps_the_axis_population_and_rule_within_the_store():
    meta = META | {"axes": {"repeat": {"features": ["x"], "population": "frequency >= 2",
                                       "selection_rule": "balanced"}}}
    s = fits_per_store(segmentation_settings_from_meta(meta, model=MODEL), ["north", "o'neill"])
    assert s.axis_options == (
        ("repeat@north", AxisOptions("(frequency >= 2) and store_id = 'north'", "balanced")),
        ("repeat@o'neill", AxisOptions("(frequency >= 2) and store_id = 'o''neill'", "balanced")))
    frame = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "x": [1.0, 2, 3, 4], "frequency": [1, 3, 3, 5],
                          "store_id": ["north", "north", "o'neill", "o'neill"]})
    data = SortedInput(frame, frame["customer_id"])
    assert population_rows(data, s.population_of("repeat@north"), "repeat@north", MODEL).tolist() == [1]
    assert population_rows(data, s.population_of("repeat@o'neill"), "repeat@o'neill", MODEL).tolist() == [2, 3]


def test_a_wrong_store_fits_setting_names_the_choices():
    with pytest.raises(SettingsError, match="store_fits"):
        segmentation_settings_from_meta(META | {"store_fits": "per_shop"}, model=MODEL)


def test_an_axis_name_with_the_store_separator_is_refused():
    with pytest.raises(SettingsError, match="must not contain '@'"):
        segmentation_settings_from_meta(META | {"axes": {"a@b": ["x"]}}, model=MODEL)
