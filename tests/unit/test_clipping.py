"""Tests for clip_quantile: quantile clipping before scaling, its setting, its fit artifacts and its purpose.

The purpose (the demand domain's problem on demo seed 7): a couple of extreme rows form a cluster of their own
at every k that would recover the real groups, so ``min_cluster_share`` rules those k out; clipped to the
feature's quantiles they join the nearest group instead.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.partition import assign_clusters, centroids, scaler_params, select_k
from cluster_marts.config.cluster import settings_from_meta
from cluster_marts.errors import SettingsError
from cluster_marts.preprocessing.scaling import clip, fit_scaler, inverse_transform, scaler_params_frame, transform

MODEL = "int_dfu_k_selection"

# one column 0..8 and 100; q = 0.1 by hand (linear interpolation between order statistics, as percentile_cont):
# lower at position 0.1 * 9 = 0.9 -> 0 + 0.9 * (1 - 0) = 0.9; upper at 8.1 -> 8 + 0.1 * (100 - 8) = 17.2
COLUMN = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0], [100.0]])
CLIPPED = np.array([0.9, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 17.2])


def test_bounds_centre_and_scale_by_hand():
    p = fit_scaler(COLUMN, "standard", ["x"], clip_quantile=0.1)
    np.testing.assert_allclose((p.clip_lower, p.clip_upper), ([0.9], [17.2]))
    mean = 54.1 / 10
    sd = np.sqrt(((CLIPPED - mean) ** 2).mean())
    np.testing.assert_allclose((p.center, p.scale), ([5.41], [sd]))
    np.testing.assert_allclose(clip(COLUMN, p)[:, 0], CLIPPED)
    np.testing.assert_allclose(transform(COLUMN, p)[:, 0], (CLIPPED - 5.41) / sd)
    # new rows beyond the bounds land on them, inside they are only scaled
    np.testing.assert_allclose(transform(np.array([[-50.0], [3.0], [1e6]]), p)[:, 0],
                               (np.array([0.9, 3.0, 17.2]) - 5.41) / sd)
    np.testing.assert_allclose(inverse_transform(transform(COLUMN, p), p)[:, 0], CLIPPED)


def test_robust_scaling_of_clipped_values():
    p = fit_scaler(COLUMN, "robust", ["x"], clip_quantile=0.1)
    # median of CLIPPED 4.5; quartiles at positions 2.25 and 6.75: 2.25 and 6.75
    np.testing.assert_allclose((p.center, p.scale), ([4.5], [4.5]))


def test_no_clipping_is_the_old_scaler_bit_for_bit():
    rng = np.random.default_rng(3).standard_t(2, size=(40, 3))
    off = fit_scaler(rng, "standard", "abc")
    assert off.clip_lower is None and off.clip_upper is None
    assert np.array_equal(transform(rng, off), (rng - rng.mean(axis=0)) / rng.std(axis=0))
    frame = scaler_params_frame(off)
    assert list(frame.columns) == ["feature", "method", "center", "scale", "clip_lower", "clip_upper"]
    assert frame[["clip_lower", "clip_upper"]].isna().all().all()
    on = scaler_params_frame(fit_scaler(COLUMN, "none", ["x"], clip_quantile=0.1))
    np.testing.assert_allclose(on[["center", "scale", "clip_lower", "clip_upper"]].to_numpy(), [[0.0, 1.0, 0.9, 17.2]])


@pytest.mark.parametrize("q", [-0.01, 0.5, 0.7])
def test_scaler_rejects_a_quantile_outside_zero_to_half(q):
    with pytest.raises(ValueError, match=r"clip_quantile must be in \[0, 0.5\)"):
        fit_scaler(COLUMN, "standard", ["x"], clip_quantile=q)


BASE = {"id_column": "dfu_id", "features": ["a", "b"]}


def test_setting_default_coercion_and_range():
    assert settings_from_meta(BASE, model=MODEL).clip_quantile == 0.0
    s = settings_from_meta({**BASE, "clip_quantile": " 0.01 "}, model=MODEL)
    assert s.clip_quantile == 0.01 and isinstance(s.clip_quantile, float)
    for bad, why in [(0.5, "is out of range; allowed values: a number >= 0 and < 0.5"),
                     (-0.1, "is out of range; allowed values: a number >= 0 and < 0.5"),
                     ("some", "must be a number")]:
        with pytest.raises(SettingsError, match=rf"model {MODEL}: setting 'clip_quantile'={bad!r} {why}") as info:
            settings_from_meta({**BASE, "clip_quantile": bad}, model=MODEL)
        assert "config.meta" in str(info.value)


# three groups of 100 rows and two rows far out on feature a (0.7 % of the rows, under min_cluster_share 1 %)
BLOBS, GROUP = make_blobs(n_samples=300, centers=[[0, 0], [6, 0], [3, 5]], cluster_std=0.8, random_state=0)
OUTLIERS = np.array([[60.0, 0.0], [75.0, 0.0]])
ROWS = np.vstack([BLOBS, OUTLIERS])
FRAME = pd.DataFrame({"dfu_id": [f"D{i:03d}" for i in range(len(ROWS))], "a": ROWS[:, 0], "b": ROWS[:, 1]})
META = {**BASE, "k_min": 2, "k_max": 6, "min_cluster_share": 0.01}
CLIPPED_META = {**META, "clip_quantile": 0.01}


def _chosen(k_selection):
    return int(k_selection.loc[k_selection["is_chosen"], "k"].item())


def test_two_outliers_rule_out_the_planted_k_without_clipping():
    ks = select_k(FRAME, META, model=MODEL).set_index("k")
    # at k >= 3 the two outliers are a cluster of their own: 2 / 302 of the rows
    assert (ks.loc[3:, "smallest_cluster_share"] == 2 / 302).all() and not ks.loc[3:, "is_eligible"].any()
    assert _chosen(ks.reset_index()) == 2


def test_clipping_recovers_the_three_groups():
    ks = select_k(FRAME, CLIPPED_META, model=MODEL)
    assert _chosen(ks) == 3 and ks["is_eligible"].all()
    out = assign_clusters(FRAME, ks, CLIPPED_META, model=MODEL)
    assert adjusted_rand_score(GROUP, out["cluster_id"].iloc[:300]) == 1.0
    # clipped to a's upper quantile, the outliers join the group with the largest a: canonical id 2 (ascending a)
    assert out["cluster_id"].iloc[300:].tolist() == [2, 2]
    assert out.loc[out["dfu_id"].isin(FRAME["dfu_id"].iloc[:300]), "cluster_id"].groupby(GROUP).nunique().eq(1).all()
    # the run is another one than the unclipped run on the same data
    assert ks["run_id"].iloc[0] != select_k(FRAME, META, model=MODEL)["run_id"].iloc[0]


def test_the_fit_artifacts_score_rows_like_the_engine():
    """Clip with the stored bounds, scale with the stored centre and scale, take the nearest stored centre."""
    ks = select_k(FRAME, CLIPPED_META, model=MODEL)
    out = assign_clusters(FRAME, ks, CLIPPED_META, model=MODEL)
    params = scaler_params(FRAME, CLIPPED_META, model=MODEL).set_index("feature")
    assert params["clip_lower"].notna().all() and params["clip_upper"].notna().all()
    assert params.loc["a", "clip_upper"] == pytest.approx(np.quantile(ROWS[:, 0], 0.99))
    values = FRAME[["a", "b"]]
    scaled = (values.clip(params["clip_lower"], params["clip_upper"], axis=1) - params["center"]) / params["scale"]
    cents = centroids(FRAME, ks, CLIPPED_META, model=MODEL).pivot(index="cluster_id", columns="feature",
                                                                    values="center_scaled")[["a", "b"]]
    squared = ((scaled.to_numpy()[:, None, :] - cents.to_numpy()[None, :, :]) ** 2).sum(axis=2)
    assert (squared.argmin(axis=1) == out["cluster_id"].to_numpy()).all()
    # centres in original units are the members' means of the clipped values
    original = centroids(FRAME, ks, CLIPPED_META, model=MODEL).pivot(index="cluster_id", columns="feature",
                                                                       values="center_original")
    clipped_a = values["a"].clip(params.loc["a", "clip_lower"], params.loc["a", "clip_upper"])
    np.testing.assert_allclose(original["a"], clipped_a.groupby(out["cluster_id"]).mean(), atol=1e-9)
