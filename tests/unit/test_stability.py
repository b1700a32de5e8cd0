"""Bootstrap stability: the score, the k grid column, the ``stability`` rule and the workbench metric."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans

from cluster_marts.adapters.partition import select_k
from cluster_marts.adapters.workbench.analysis import run_spec
from cluster_marts.config.cluster import settings_from_meta
from cluster_marts.config.spec import parse_spec
from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.selection.grid import evaluate_k_grid
from cluster_marts.selection.rules import choose_k
from cluster_marts.selection.stability import bootstrap_stability

SEEDS = [0, 7]


def triangle(seed: int, n: int = 100) -> pd.DataFrame:
    """Three equal blobs on an equilateral triangle: k = 2 and k = 4 have no one best answer, k = 3 has."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [6.0, 0.0], [3.0, 3.0 * np.sqrt(3.0)]])
    X = np.vstack([c + rng.normal(0.0, 0.7, (n, 2)) for c in centres])
    return pd.DataFrame({"id": np.arange(3 * n), "x": X[:, 0], "y": X[:, 1], "truth": np.repeat([0, 1, 2], n)})


META = {"id_column": "id", "features": ["x", "y"], "k_max": 6}


def _kmeans(k: int, seed: int = 0):
    return lambda X: KMeans(k, n_init=5, random_state=seed).fit(X)


def test_bootstrap_stability_is_one_on_clear_blobs_and_seeded():
    X = triangle(0)[["x", "y"]].to_numpy()
    labels = _kmeans(3)(X).labels_
    assert bootstrap_stability(labels, X, _kmeans(3), n_resamples=5, random_state=1) == 1.0
    four = _kmeans(4)(X).labels_
    a = bootstrap_stability(four, X, _kmeans(4), n_resamples=5, random_state=1)
    assert a < 0.95 and a == bootstrap_stability(four, X, _kmeans(4), n_resamples=5, random_state=1)
    with pytest.raises(ValueError, match="n_resamples must be >= 1"):
        bootstrap_stability(labels, X, _kmeans(3), n_resamples=0)


def test_the_grid_computes_stability_only_when_asked():
    X = triangle(0)[["x", "y"]].to_numpy()
    kwargs = {"silhouette_sample_size": 1000, "random_state": 0}
    off = evaluate_k_grid(X, [2, 3], lambda k: _kmeans(k)(X), **kwargs)
    assert off["stability"].isna().all()
    on = evaluate_k_grid(X, [2, 3], lambda k: _kmeans(k)(X), stability_resamples=3,
                         refit=lambda X_b, k: _kmeans(k)(X_b), **kwargs)
    assert on["stability"].notna().all() and on.drop(columns="stability").equals(off.drop(columns="stability"))
    with pytest.raises(ValueError, match="stability_resamples > 0 needs refit"):
        evaluate_k_grid(X, [2, 3], lambda k: _kmeans(k)(X), stability_resamples=3, **kwargs)


def test_the_stability_rule_takes_the_highest_eligible_ties_to_the_smaller_k():
    grid = pd.DataFrame({"k": [2, 3, 4, 5], "inertia": [4.0, 3.0, 2.0, 1.0], "silhouette": [0.9, 0.5, 0.5, 0.5],
                         "stability": [0.6, 1.0, 1.0, 0.2], "smallest_cluster_share": [0.5, 0.3, 0.05, 0.2]})
    out = choose_k(grid, "stability")
    assert out.loc[out["is_chosen"], "k"].tolist() == [3] and out["selection_rule"].iloc[0] == "stability"
    out = choose_k(grid.assign(smallest_cluster_share=[0.5, 0.01, 0.3, 0.2]), "stability", min_cluster_share=0.1)
    assert out.loc[out["is_chosen"], "k"].tolist() == [4]  # k = 3 is not eligible
    with pytest.raises(InputDataError, match=r"model m: the stability was not computed \(stability_resamples=0\); "
                                             r"set stability_resamples >= 1"):
        choose_k(grid.assign(stability=np.nan), "stability", model="m")


@pytest.mark.parametrize("seed", SEEDS)
def test_planted_k_is_the_most_stable_and_the_stability_rule_chooses_it(seed):
    out = select_k(triangle(seed), {**META, "selection_rule": "stability", "random_state": seed}, model="m")
    stability = dict(zip(out["k"], out["stability"]))
    assert out.loc[out["is_chosen"], "k"].tolist() == [3]
    assert stability[3] >= 0.99
    assert max(v for k, v in stability.items() if k != 3) <= 0.9  # merging or splitting a blob is unstable
    assert stability[2] <= 0.6  # which two of three equidistant blobs merge changes with the resample


@pytest.mark.parametrize("seed", SEEDS)
def test_stability_is_null_unless_asked_and_any_rule_may_ask(seed):
    frame = triangle(seed)
    plain = select_k(frame, {**META, "random_state": seed}, model="m")
    assert plain["stability"].isna().all()
    asked = select_k(frame, {**META, "random_state": seed, "stability_resamples": 4}, model="m")
    assert asked["stability"].notna().all() and asked["selection_rule"].iloc[0] == "silhouette"
    same = ["stability", "settings_json"]  # settings_json records stability_resamples
    pd.testing.assert_frame_equal(asked.drop(columns=same), plain.drop(columns=same))


def test_stability_settings():
    assert settings_from_meta({**META, "selection_rule": "stability"}, model="m").resamples == 10
    assert settings_from_meta(META, model="m").resamples == 0
    assert settings_from_meta({**META, "stability_resamples": "3"}, model="m").resamples == 3
    with pytest.raises(SettingsError, match=r"setting 'stability_resamples'=0 is too low: selection_rule "
                                            r"'stability' needs stability_resamples >= 1"):
        settings_from_meta({**META, "selection_rule": "stability", "stability_resamples": 0}, model="m")
    with pytest.raises(SettingsError, match=r"'stability_resamples'=-1 .*allowed values: an integer >= 0 and <= 1000"):
        settings_from_meta({**META, "stability_resamples": -1}, model="m")


def _workbench(k: int, seed: int, **extra) -> dict:
    return {"name": "triangle", "source": {"ref": "t"}, "id_column": "id", "features": ["x", "y"], "target": "truth",
            "algorithm": {"name": "kmeans"}, "n_clusters": k, "random_state": seed, "compare": ["kmeans"],
            "metrics": ["silhouette", "stability"]} | extra


@pytest.mark.parametrize("seed", SEEDS)
def test_the_workbench_stability_metric_is_high_at_the_planted_k_only(seed):
    frame = triangle(seed)
    values = {}
    for k in (2, 3, 4):
        out = run_spec(parse_spec(_workbench(k, seed)), frame)
        values[k] = dict(zip(out["metrics"]["metric"], out["metrics"]["value"]))["stability"]
        assert out["k_selection"]["stability"].notna().all()  # the k search scores it at every k too
    assert values[3] >= 0.99 and max(values[2], values[4]) <= 0.9
    assert max(values, key=values.get) == 3


def test_the_workbench_computes_stability_only_when_the_metric_is_listed():
    spec = _workbench(3, 0, metrics=["silhouette"], stability_resamples=5)
    out = run_spec(parse_spec(spec), triangle(0))
    assert "stability" not in set(out["metrics"]["metric"]) and out["k_selection"]["stability"].isna().all()
    assert "stability" not in parse_spec({**spec, "metrics": None}).metrics  # not a default metric
