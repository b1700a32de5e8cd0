"""Tests for cluster_marts.selection.grid and the silhouette helpers of cluster_marts.selection.metrics."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_samples, silhouette_score

from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.selection.grid import SCORE_COLUMNS, choose_k, evaluate_k_grid, knee_point
from cluster_marts.preprocessing.scaling import fit_scaler, transform
from cluster_marts.config.cluster import ClusterSettings
from cluster_marts.selection.metrics import per_sample_silhouette, silhouette


BLOBS_X, BLOBS_Y = make_blobs(n_samples=300, centers=4, cluster_std=0.6, random_state=42)
XS = transform(BLOBS_X, fit_scaler(BLOBS_X, "standard", ["x0", "x1"]))


def _settings(**kw):
    return ClusterSettings(id_column="id", features=("x0", "x1"), **kw)


# --- knee -------------------------------------------------------------------------------

def test_knee_on_hand_curve():
    assert knee_point([1, 2, 3, 4, 5, 6], [100.0, 40.0, 12.0, 10.0, 9.0, 8.0]) == 3
    # x_norm = 0, .25, .5, .75, 1; y_norm = 1, .4, .1, .05, 0 -> difference 0, .35, .4, .2, 0
    assert knee_point([1, 2, 3, 4, 5], [100.0, 40.0, 10.0, 5.0, 0.0]) == 3
    # input order does not matter
    assert knee_point([5, 3, 1, 4, 2], [0.0, 10.0, 100.0, 5.0, 40.0]) == 3


@pytest.mark.parametrize(
    "ks, inertias",
    [([2, 3], [10.0, 1.0]), ([2, 3, 4], [5.0, 5.0, 5.0]), ([2, 3, 4, 5], [9.0, 7.0, 5.0, 3.0]),
     ([2, 3, 4], [1.0, 9.0, 10.0])],
    ids=["too-few", "flat", "straight-line", "increasing"],
)
def test_no_knee(ks, inertias):
    assert knee_point(ks, inertias) is None


# --- silhouette ----------------------------------------------------------------------------

def test_silhouette_full_and_sampled():
    full, method = silhouette(XS, BLOBS_Y, sample_size=2000, random_state=0)
    assert method == "full" and full == pytest.approx(silhouette_score(XS, BLOBS_Y))
    s1, m1 = silhouette(XS, BLOBS_Y, sample_size=100, random_state=3)
    s2, m2 = silhouette(XS, BLOBS_Y, sample_size=100, random_state=3)
    assert m1 == m2 == "sampled_100"
    assert s1 == s2  # deterministic
    assert s1 == pytest.approx(silhouette_score(XS, BLOBS_Y, sample_size=100, random_state=3))
    assert s1 != full and abs(s1 - full) < 0.05


def test_silhouette_undefined():
    assert silhouette(XS, np.zeros(300, int), sample_size=2000, random_state=0)[1] == "undefined"
    score, method = silhouette(XS[:3], np.arange(3), sample_size=2000, random_state=0)
    assert np.isnan(score) and method == "undefined"
    np.testing.assert_array_equal(per_sample_silhouette(XS, np.zeros(300, int)), 0.0)


def test_per_sample_silhouette_reference_sample():
    exact = silhouette_samples(XS, BLOBS_Y)
    np.testing.assert_allclose(per_sample_silhouette(XS, BLOBS_Y), exact)
    # 4 clusters of 75: a share of ceil(299/4)=75 per cluster covers everything -> exact, own code path
    np.testing.assert_allclose(per_sample_silhouette(XS, BLOBS_Y, sample_size=299), exact, atol=1e-12)
    approx = per_sample_silhouette(XS, BLOBS_Y, sample_size=80, random_state=1)
    np.testing.assert_array_equal(approx, per_sample_silhouette(XS, BLOBS_Y, sample_size=80, random_state=1))
    assert not np.allclose(approx, exact)  # really sampled (20 per cluster) ...
    assert np.abs(approx - exact).max() < 0.06 and np.corrcoef(approx, exact)[0, 1] > 0.95  # ... and close


def test_per_sample_silhouette_by_hand_with_singleton():
    # clusters {0}, {1, 1.5}, {5, 6}; sample_size=4 < n=5 takes ceil(4/3)=2 per cluster = every row
    X = np.array([[0.0], [1.0], [1.5], [5.0], [6.0]])
    labels = np.array([0, 1, 1, 2, 2])
    # row 1: a = 0.5, b = 1 (to {0}) -> 0.5; row 2: a = 0.5, b = 1.5 -> 2/3; row 3: a = 1, b = 3.75 -> 11/15
    expected = [0.0, 0.5, 2 / 3, 11 / 15, 1 - 1 / 4.75]
    np.testing.assert_allclose(per_sample_silhouette(X, labels, sample_size=4), expected)
    np.testing.assert_allclose(silhouette_samples(X, labels), expected)


# --- grid and choice ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def blob_scores():
    return evaluate_k_grid(XS, _settings())


def test_evaluate_k_grid_columns_and_types(blob_scores):
    assert list(blob_scores.columns) == SCORE_COLUMNS
    assert blob_scores["k"].tolist() == [2, 3, 4, 5, 6, 7, 8]
    assert blob_scores["k"].dtype == np.int64
    assert (blob_scores["silhouette_method"] == "full").all()
    assert blob_scores["inertia"].is_monotonic_decreasing
    assert blob_scores.loc[blob_scores["silhouette"].idxmax(), "k"] == 4


def test_evaluate_k_grid_caps_k_max_and_needs_rows():
    scores = evaluate_k_grid(XS[:5], _settings(k_max=8))
    assert scores["k"].tolist() == [2, 3, 4]
    with pytest.raises(InputDataError, match=r"model m: only 2 rows .*need at least 3 for k_min=2; lower k_min"):
        evaluate_k_grid(XS[:2], _settings(), model="m")


def test_evaluate_k_grid_sampled_silhouette_recorded():
    scores = evaluate_k_grid(XS, _settings(k_max=4, silhouette_sample_size=120))
    assert (scores["silhouette_method"] == "sampled_120").all()


@pytest.mark.parametrize("rule", ["silhouette", "calinski_harabasz", "davies_bouldin", "elbow"])
def test_choose_k_rules_pick_four(blob_scores, rule):
    out = choose_k(blob_scores, _settings(selection_rule=rule))
    assert out["is_chosen"].sum() == 1 and out.loc[out["is_chosen"], "k"].item() == 4
    assert out.loc[out["is_knee"], "k"].tolist() == [4]
    assert (out["selection_rule"] == rule).all()
    assert out["is_chosen"].dtype == bool and out["is_knee"].dtype == bool


def test_choose_k_fixed(blob_scores):
    out = choose_k(blob_scores, _settings(selection_rule="fixed", n_clusters=6))
    assert out.loc[out["is_chosen"], "k"].item() == 6
    with pytest.raises(SettingsError, match=r"model m: setting 'n_clusters'=8 is outside the evaluated k grid 2\.\.7"):
        choose_k(blob_scores.iloc[:-1], _settings(selection_rule="fixed", n_clusters=8), model="m")


def test_choose_k_ties_and_elbow_fallback():
    scores = pd.DataFrame({"k": [4, 2, 3], "inertia": [1.0, 3.0, 2.0], "silhouette": [0.5, 0.5, 0.5],
                           "silhouette_method": "full", "calinski_harabasz": [9.0, 9.0, 1.0],
                           "davies_bouldin": [0.2, 0.3, 0.2]})
    assert choose_k(scores, _settings()).loc[lambda d: d["is_chosen"], "k"].item() == 2
    assert choose_k(scores, _settings(selection_rule="davies_bouldin")).query("is_chosen")["k"].item() == 3
    out = choose_k(scores, _settings(selection_rule="elbow"))  # straight inertia line: no knee
    assert not out["is_knee"].any() and out.query("is_chosen")["k"].item() == 2
    assert out["selection_rule"].iloc[0] == "elbow (no knee found; fell back to silhouette)"


def test_choose_k_all_undefined():
    scores = pd.DataFrame({"k": [2, 3], "inertia": [0.0, 0.0], "silhouette": [np.nan, np.nan],
                           "silhouette_method": "undefined", "calinski_harabasz": np.nan, "davies_bouldin": np.nan})
    with pytest.raises(InputDataError, match="model m: silhouette is undefined for every k"):
        choose_k(scores, _settings(), model="m")


# --- eligibility (min_cluster_share), gap and vote ---------------------------------------------

def _table(**columns):
    """Hand-made k-selection scores for k = 2..6 (knee of this inertia curve: k=4)."""
    base = {"k": [2, 3, 4, 5, 6], "inertia": [100.0, 60.0, 20.0, 18.0, 16.0],
            "silhouette": [0.40, 0.55, 0.50, 0.60, 0.30], "silhouette_method": "full",
            "calinski_harabasz": [5.0, 9.0, 8.0, 7.0, 6.0], "davies_bouldin": [0.9, 0.5, 0.6, 0.4, 0.8],
            "gap": [0.2, 0.5, 0.9, 0.85, 0.8], "gap_sd": [0.05] * 5, "gap_references": 10,
            "smallest_cluster_share": [0.40, 0.20, 0.10, 0.02, 0.01]}
    return pd.DataFrame({**base, **columns})


def _pick(out):
    return out.loc[out["is_chosen"], "k"].item()


def test_criterion_flags_on_hand_table():
    out = choose_k(_table(), _settings(selection_rule="gap", gap_references=10))
    assert out.loc[out["is_knee"], "k"].tolist() == [4]
    assert out.loc[out["is_silhouette_best"], "k"].tolist() == [5]
    # gap: k=2: 0.2 >= 0.5-0.05? no; k=3: 0.5 >= 0.85? no; k=4: 0.9 >= 0.85-0.05 -> 4
    assert out.loc[out["is_gap_best"], "k"].tolist() == [4] and _pick(out) == 4
    assert out["is_eligible"].all() and (out["selection_rule"] == "gap").all()
    for col in ["is_eligible", "is_knee", "is_silhouette_best", "is_gap_best", "is_chosen"]:
        assert out[col].dtype == bool, col


@pytest.mark.parametrize(
    "rule, share, expected",
    [("silhouette", 0.0, 5), ("silhouette", 0.05, 3), ("calinski_harabasz", 0.15, 3),
     ("davies_bouldin", 0.05, 3), ("gap", 0.15, 3), ("elbow", 0.05, 4)],
)
def test_rules_choose_only_among_eligible_k(rule, share, expected):
    # share 0.05 makes k=5, 6 ineligible; 0.15 also k=4
    out = choose_k(_table(), _settings(selection_rule=rule, gap_references=10, min_cluster_share=share))
    assert _pick(out) == expected
    assert out["is_eligible"].tolist() == [s >= share for s in [0.40, 0.20, 0.10, 0.02, 0.01]]
    assert not (out["is_silhouette_best"] & ~out["is_eligible"]).any()
    assert not (out["is_gap_best"] & ~out["is_eligible"]).any()


def test_gap_fallback_and_elbow_with_ineligible_knee():
    rising = _table(gap=[0.1, 0.2, 0.3, 0.4, 0.5], gap_sd=[0.01] * 5)
    out = choose_k(rising, _settings(selection_rule="gap", gap_references=10))
    assert _pick(out) == 6
    assert out["selection_rule"].iloc[0] == "gap (no k met Gap(k) >= Gap(k+1) - s_k+1; took the maximum gap)"
    out = choose_k(_table(), _settings(selection_rule="elbow", min_cluster_share=0.15))
    assert out.loc[out["is_knee"], "k"].tolist() == [4]  # the knee is still flagged ...
    assert _pick(out) == 3  # ... but the silhouette maximum among eligible k is chosen
    assert out["selection_rule"].iloc[0] == "elbow (knee k=4 is not eligible; fell back to silhouette)"


@pytest.mark.parametrize(
    "changes, share, text, expected",
    [
        ({}, 0.0, "vote: elbow=4, silhouette=5, gap=4 -> 4", 4),  # 2 votes beat 1
        ({"silhouette": [0.4, 0.5, 0.7, 0.6, 0.3]}, 0.0, "vote: elbow=4, silhouette=4, gap=4 -> 4", 4),
        ({"gap": [0.2, 0.5, 0.6, 0.9, 0.8]}, 0.0, "vote: elbow=4, silhouette=5, gap=5 -> 5", 5),
        ({"gap": [0.2, 0.9, 0.5, 0.4, 0.3]}, 0.0, "vote: elbow=4, silhouette=5, gap=3 -> 5", 5),  # tie: silhouette
        ({}, 0.15, "vote: elbow=abstain, silhouette=3, gap=3 -> 3", 3),  # knee k=4 ineligible: abstains
        ({"silhouette": [0.4, 0.5, 0.45, 0.6, 0.3]}, 0.05, "vote: elbow=4, silhouette=3, gap=4 -> 4", 4),
    ],
)
def test_vote(changes, share, text, expected):
    out = choose_k(_table(**changes), _settings(selection_rule="vote", gap_references=10, min_cluster_share=share))
    assert _pick(out) == expected
    assert (out["selection_rule"] == text).all()


def test_no_eligible_k_and_ineligible_fixed_k():
    with pytest.raises(InputDataError, match=r"model m: no k in 2\.\.6 is eligible: .*min_cluster_share=0\.45 .*"
                                             r"largest smallest_cluster_share seen: 0\.4 at k=2\); "
                                             r"lower min_cluster_share or the k range"):
        choose_k(_table(), _settings(min_cluster_share=0.45), model="m")
    with pytest.raises(InputDataError, match=r"model m: n_clusters=5 leaves a cluster with 0\.02 of the rows, below "
                                             r"min_cluster_share=0\.05"):
        choose_k(_table(), _settings(selection_rule="fixed", n_clusters=5, min_cluster_share=0.05), model="m")
    with pytest.raises(InputDataError, match=r"model m: silhouette is undefined for every k in the grid that meets "
                                             r"min_cluster_share=0\.15"):
        choose_k(_table(silhouette=[np.nan, np.nan, np.nan, 0.5, 0.5]),
                 _settings(min_cluster_share=0.15), model="m")


def test_gap_rules_without_gap_values():
    scores = _table(gap=np.nan, gap_sd=np.nan, gap_references=0)
    out = choose_k(scores, _settings())
    assert not out["is_gap_best"].any() and _pick(out) == 5
    with pytest.raises(InputDataError, match=r"model m: the gap statistic was not computed \(gap_references=0\)"):
        choose_k(scores, _settings(selection_rule="vote", gap_references=10), model="m")


def test_evaluate_k_grid_smallest_cluster_share(blob_scores):
    # 4 blobs of 75 rows: at k=4 the smallest cluster holds a quarter of the rows
    assert blob_scores.loc[blob_scores["k"] == 4, "smallest_cluster_share"].item() == pytest.approx(0.25)
    assert blob_scores["smallest_cluster_share"].between(0, 0.5).all()
    assert blob_scores["gap"].isna().all() and (blob_scores["gap_references"] == 0).all()
