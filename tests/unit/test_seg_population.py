"""Sub-population axes: an axis's ``population`` (SQL over the features) and its own ``selection_rule``.

Planted data: one-time customers (``frequency`` 1) spread over the whole feature plane, and repeat
customers (``frequency`` >= 2) in three groups of unequal size. The repeat axis must find the three
groups among the repeat customers only (ARI against the planted groups, two generators), publish rows for
them only, and leave every other axis as it was without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.customers import segment_all, segment_assignments, segment_fit_metrics, segment_memberships
from cluster_marts.adapters.customers.inputs import population_rows
from cluster_marts.adapters.customers.reference import reference_model
from cluster_marts.config.axes import AxisOptions
from cluster_marts.config.segmentation import segmentation_settings_from_meta, settings_json
from cluster_marts.errors import SettingsError
from cluster_marts.preprocessing.axis_inputs import SortedInput

MODEL = "int_customer_segmentation"
REPEAT = {"features": ["x", "y"], "population": "frequency >= 2", "selection_rule": "silhouette"}
META = {"id_column": "customer_id", "axes": {"shape": ["x", "y"], "repeat": REPEAT},
        "methods": ["fcm", "gmm"], "k_max": 8, "selection_rule": "balanced", "subdivision": {"max_depth": 0},
        "random_state": 42}
GROUP_SIZES = (240, 110, 50)
N_ONE_TIME = 600


def _gaussian(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Repeat customers in three round groups (numpy normal draws)."""
    y = np.repeat(np.arange(3), GROUP_SIZES)
    centres = np.array([[0.0, 0.0], [7.0, 0.0], [3.5, 7.0]])
    return centres[y] + rng.standard_normal((y.size, 2)), y


def _uniform_boxes(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Repeat customers in three boxes of different widths (uniform draws), on different feature scales."""
    y = np.repeat(np.arange(3), GROUP_SIZES)
    low = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 300.0]])
    width = np.array([[3.0, 200.0], [2.0, 120.0], [4.0, 100.0]])
    return low[y] + width[y] * rng.uniform(size=(y.size, 2)), y


def planted(generator, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    """One-time customers uniform over the repeat customers' bounding box, repeat customers in planted groups."""
    rng = np.random.default_rng(seed)
    X_repeat, y = generator(rng)
    low, high = X_repeat.min(axis=0), X_repeat.max(axis=0)
    X_once = low + (high - low) * rng.uniform(size=(N_ONE_TIME, 2))
    X = np.vstack([X_repeat, X_once])
    frequency = np.concatenate([rng.integers(2, 9, size=y.size), np.ones(N_ONE_TIME, dtype=int)])
    ids = np.array([f"c{i:05d}" for i in rng.permutation(X.shape[0])])
    frame = pd.DataFrame({"customer_id": ids, "x": X[:, 0], "y": X[:, 1], "frequency": frequency})
    return frame, pd.Series(y, index=ids[: y.size])


@pytest.fixture(scope="module", params=[(_gaussian, 0), (_uniform_boxes, 7)], ids=["gaussian-seed0", "boxes-seed7"])
def case(request):
    generator, seed = request.param
    frame, truth = planted(generator, seed)
    return frame, truth, segment_all(frame, META, model=MODEL)


def test_the_mapping_form_reads_features_and_options():
    s = segmentation_settings_from_meta(META, model=MODEL)
    assert s.axes == (("shape", ("x", "y")), ("repeat", ("x", "y")))
    assert s.population_of("shape") is None and s.population_of("repeat") == "frequency >= 2"
    assert s.for_axis("repeat").selection_rule == "silhouette" and s.for_axis("shape").selection_rule == "balanced"
    assert s.axis_options == (("repeat", AxisOptions("frequency >= 2", "silhouette")),)
    assert '"axis_options": {"repeat": {"population": "frequency >= 2", "selection_rule": "silhouette"}}' \
        in settings_json(s)


@pytest.mark.parametrize("axis, why", [
    ({"population": "frequency >= 2"}, "'axes.repeat.features'"),
    ({"features": ["x"], "where": "frequency >= 2"}, "'axes.repeat.where'"),
    ({"features": ["x"], "selection_rule": "best"}, "'axes.repeat.selection_rule'"),
])
def test_a_bad_axis_mapping_names_its_key(axis, why):
    with pytest.raises(SettingsError, match=why):
        segmentation_settings_from_meta({**META, "axes": {"repeat": axis}}, model=MODEL)


def test_the_population_axis_recovers_the_planted_groups_among_its_customers_only(case):
    frame, truth, fit = case
    assignments = segment_assignments(fit)
    for method in ("fcm", "gmm"):
        repeat = assignments[(assignments["axis"] == "repeat") & (assignments["method"] == method)]
        assert sorted(repeat["customer_id"]) == sorted(truth.index)  # exactly the repeat customers
        ari = adjusted_rand_score(truth.loc[repeat["customer_id"]], repeat["segment_id"])
        print(f"{method}: ARI(repeat axis, planted groups) = {ari:.3f}")
        assert ari >= 0.8
        shape = assignments[(assignments["axis"] == "shape") & (assignments["method"] == method)]
        assert len(shape) == len(frame)
    memberships = segment_memberships(fit)
    repeat = memberships[memberships["axis"] == "repeat"]
    assert set(repeat["customer_id"]) == set(truth.index)
    assert np.allclose(repeat.groupby(["customer_id", "method"])["membership"].sum(), 1.0)
    metrics = segment_fit_metrics(fit).set_index(["axis", "method"])
    assert (metrics.loc["repeat", "n_samples"] == len(truth)).all()
    assert (metrics.loc["shape", "n_samples"] == len(frame)).all()


def test_the_axis_rule_chooses_k_on_that_axis_only(case):
    _, _, fit = case
    for r in fit.fitted:
        grid = r.k_grid.set_index("k")
        column = "silhouette" if r.axis == "repeat" else "combined_score"
        assert r.k == grid[column].idxmax(), (r.axis, r.method)


def test_a_population_axis_leaves_the_other_axes_as_they_were(case):
    frame, _, fit = case
    alone = segment_all(frame, {**META, "axes": {"shape": ["x", "y"]}}, model=MODEL)
    before = segment_assignments(alone)
    after = segment_assignments(fit)
    pd.testing.assert_frame_equal(after[after["axis"] == "shape"].reset_index(drop=True), before)


def test_a_population_too_small_skips_the_axis_with_its_reason(case):
    frame, _, _ = case
    fit = segment_all(frame, {**META, "axes": {"shape": ["x", "y"], "repeat": {**REPEAT, "population": "x > 1e9"}}},
                      model=MODEL)
    metrics = segment_fit_metrics(fit).set_index(["axis", "method"])
    assert (metrics.loc["repeat", "status"] == "skipped").all()
    assert metrics.loc[("repeat", "fcm"), "reason"] == (
        f"axis repeat: population 'x > 1e9' holds 0 of {len(frame):,} customers, fewer than k_min + 1 = 3; "
        "not segmented")
    assert set(segment_assignments(fit)["axis"]) == {"shape"}


def test_nulls_are_outside_and_bad_expressions_are_clear():
    frame = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "frequency": [1, 3, None, 2]})
    data = SortedInput(frame, frame["customer_id"])
    assert population_rows(data, "frequency >= 2", "repeat", MODEL).tolist() == [1, 3]
    with pytest.raises(SettingsError, match=r"'axes.repeat.population' 'orders >= 2' does not run on the features "
                                            r"as a condition of each row: .*available columns: customer_id, frequency"):
        population_rows(data, "orders >= 2", "repeat", MODEL)
    with pytest.raises(SettingsError, match=r"gives \w+ values, not true/false"):
        population_rows(data, "frequency + 1", "repeat", MODEL)


def test_the_reference_model_leaves_population_axes_out(case):
    frame, _, _ = case
    rows = reference_model(frame, META, model="int_customer_reference_model")
    assert set(rows["axis"]) == {"shape"}
    with pytest.raises(SettingsError, match="segment a sub-population"):
        reference_model(frame, {**META, "reference_axes": ["repeat"]}, model="int_customer_reference_model")


def test_a_population_is_a_condition_of_each_row_in_the_rows_order():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"customer_id": [f"c{i:06d}" for i in range(200_000)], "x": rng.random(200_000),
                          "g": rng.integers(0, 5, 200_000)})
    data = SortedInput(frame, frame["customer_id"])
    assert np.array_equal(population_rows(data, "x > 0.5", "a", MODEL), np.flatnonzero(frame["x"] > 0.5))
    for windowed in ("x >= avg(x) over (partition by g)", "count(*) > 0"):
        with pytest.raises(SettingsError, match="does not run on the features as a condition of each row"):
            population_rows(data, windowed, "a", MODEL)


def test_axes_may_arrive_as_a_json_string():
    s = segmentation_settings_from_meta(
        {**META, "axes": '{"shape": ["x", "y"], "repeat": {"features": ["x"], "population": "frequency >= 2"}}'},
        model=MODEL)
    assert s.axes == (("shape", ("x", "y")), ("repeat", ("x",))) and s.population_of("repeat") == "frequency >= 2"
