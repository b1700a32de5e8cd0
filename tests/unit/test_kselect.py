"""Tests for cluster_marts.selection.grid / rules (the one k grid and chooser) and the silhouette helpers."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_samples, silhouette_score
from sklearn.mixture import GaussianMixture

from cluster_marts.algorithms.registry import fit_k
from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.preprocessing.scaling import fit_scaler, transform
from cluster_marts.selection.grid import GRID_COLUMNS, GridFit, evaluate_k_grid, k_values
from cluster_marts.selection.metrics import per_sample_silhouette, silhouette
from cluster_marts.selection.rules import RULES, choose_k, knee_point

BLOBS_X, BLOBS_Y = make_blobs(n_samples=300, centers=4, cluster_std=0.6, random_state=42)
XS = transform(BLOBS_X, fit_scaler(BLOBS_X, "standard", ["x0", "x1"]))


def fit_kmeans(X, k, random_state, n_init):
    return fit_k("kmeans", X, k, random_state=random_state, n_init=n_init)


def _grid(X, ks=range(2, 9), *, sample_size=2000, weights=(0.4, 0.6)):
    """The providers' grid: k-means (seed 42, 10 restarts) at every k."""
    return evaluate_k_grid(X, ks, lambda k: fit_kmeans(X, k, 42, 10), silhouette_sample_size=sample_size,
                           random_state=42, balance_weights=weights)


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
    return _grid(XS)


def test_evaluate_k_grid_columns_and_types(blob_scores):
    assert list(blob_scores.columns) == GRID_COLUMNS
    assert blob_scores["k"].tolist() == [2, 3, 4, 5, 6, 7, 8]
    assert blob_scores["k"].dtype == np.int64 and blob_scores["n_clusters_found"].dtype == np.int64
    assert (blob_scores["silhouette_method"] == "full").all()
    assert blob_scores["inertia"].is_monotonic_decreasing
    assert blob_scores.loc[blob_scores["silhouette"].idxmax(), "k"] == 4
    # k-means reports no method metric: NaN, typed float
    for col in ["bic", "aic", "partition_coefficient", "partition_entropy", "reconstruction_error"]:
        assert blob_scores[col].isna().all() and blob_scores[col].dtype == np.float64, col


def test_evaluate_k_grid_scores_against_sklearn(blob_scores):
    for k in (2, 4, 7):
        labels = fit_kmeans(XS, k, 42, 10).labels_
        row = blob_scores.set_index("k").loc[k]
        assert row["silhouette"] == pytest.approx(silhouette_score(XS, labels))
        assert row["calinski_harabasz"] == pytest.approx(calinski_harabasz_score(XS, labels))
        assert row["davies_bouldin"] == pytest.approx(davies_bouldin_score(XS, labels))
        sizes = np.bincount(labels, minlength=k)
        assert row["largest_share"] == sizes.max() / 300 and row["smallest_cluster_share"] == sizes.min() / 300
        balance = 1 - min(1.0, sizes.std() / sizes.mean())
        assert row["balance"] == pytest.approx(balance)
        assert row["combined_score"] == pytest.approx(0.4 * row["silhouette"] + 0.6 * balance)


def test_k_values_caps_k_max_and_needs_rows():
    assert k_values(2, 8, 5) == [2, 3, 4]
    assert _grid(XS[:5], k_values(2, 8, 5))["k"].tolist() == [2, 3, 4]
    with pytest.raises(InputDataError, match=r"model m: only 2 rows .*need at least 3 for k_min=2; lower k_min"):
        k_values(2, 8, 2, model="m")


def test_evaluate_k_grid_sampled_silhouette_recorded():
    scores = _grid(XS, range(2, 5), sample_size=120)
    assert (scores["silhouette_method"] == "sampled_120").all()


def test_evaluate_k_grid_reads_what_the_fit_exposes():
    class Estimator:  # scikit-learn style: fitted state ends in "_"; bic is a method, not a value
        def __init__(self, labels):
            self.labels_, self.inertia_ = labels, 12.5

        def bic(self, X):
            return 0.0

    labels = np.array([0, 0, 1, 1])
    X = np.array([[0.0], [0.1], [5.0], [5.1]])
    out = evaluate_k_grid(X, [2, 3], lambda k: Estimator(labels) if k == 2 else GridFit(labels, metrics={"aic": 7.0}),
                          silhouette_sample_size=100, random_state=0).set_index("k")
    assert out.loc[2, "inertia"] == 12.5 and np.isnan(out.loc[2, "bic"]) and np.isnan(out.loc[3, "inertia"])
    assert out.loc[3, "aic"] == 7.0 and np.isnan(out.loc[2, "aic"])
    # k=3 with labels 0/1 only: an empty cluster counts as size 0 (sizes 2, 2, 0)
    assert (out.loc[3, "n_clusters_found"], out.loc[3, "smallest_cluster_share"], out.loc[3, "largest_share"]) == (
        2, 0.0, 0.5)
    assert out.loc[3, "balance"] == pytest.approx(1 - 1 / np.sqrt(2))  # std sqrt(8/9) / mean 4/3
    assert out.loc[2, "balance"] == 1.0
    with pytest.raises(ValueError, match="gap_references > 0 needs reference_fit"):
        evaluate_k_grid(X, [2], lambda k: GridFit(labels), silhouette_sample_size=100, random_state=0,
                        gap_references=2)


def test_evaluate_k_grid_reads_a_registry_estimators_metrics():
    """A GMM estimator goes into the grid as it is: its bic / aic (metrics_) fill the method columns."""
    out = evaluate_k_grid(XS, [3, 4], lambda k: fit_k("gmm", XS, k, random_state=42, n_init=2),
                          silhouette_sample_size=2000, random_state=42).set_index("k")
    for k in (3, 4):
        mixture = GaussianMixture(n_components=k, n_init=2, random_state=42).fit(XS)  # the estimator's defaults
        assert out.loc[k, "bic"] == pytest.approx(mixture.bic(XS))
        assert out.loc[k, "aic"] == pytest.approx(mixture.aic(XS))
    assert out[["partition_coefficient", "partition_entropy", "reconstruction_error"]].isna().all().all()


@pytest.mark.parametrize("rule", ["silhouette", "calinski_harabasz", "davies_bouldin", "elbow", "balanced"])
def test_choose_k_rules_pick_four(blob_scores, rule):
    out = choose_k(blob_scores, rule)
    assert out["is_chosen"].sum() == 1 and out.loc[out["is_chosen"], "k"].item() == 4
    assert out.loc[out["is_knee"], "k"].tolist() == [4]
    assert out.loc[out["is_combined_best"], "k"].tolist() == [4]
    assert (out["selection_rule"] == rule).all()
    assert out["is_chosen"].dtype == bool and out["is_knee"].dtype == bool


def test_choose_k_fixed(blob_scores):
    out = choose_k(blob_scores, "fixed", n_clusters=6)
    assert out.loc[out["is_chosen"], "k"].item() == 6
    with pytest.raises(SettingsError, match=r"model m: setting 'n_clusters'=8 is outside the evaluated k grid 2\.\.7"):
        choose_k(blob_scores.iloc[:-1], "fixed", n_clusters=8, model="m")
    with pytest.raises(SettingsError, match=r"model m: setting 'n_clusters'=None is outside"):
        choose_k(blob_scores, "fixed", model="m")


def test_unknown_rule():
    assert RULES == ("silhouette", "elbow", "calinski_harabasz", "davies_bouldin", "gap", "vote", "balanced",
                     "stability", "fixed")
    with pytest.raises(SettingsError, match=r"model m: selection_rule 'median' is not one of silhouette, elbow"):
        choose_k(_table(), "median", model="m")


def test_choose_k_ties_and_elbow_fallback():
    scores = pd.DataFrame({"k": [4, 2, 3], "inertia": [1.0, 3.0, 2.0], "silhouette": [0.5, 0.5, 0.5],
                           "silhouette_method": "full", "calinski_harabasz": [9.0, 9.0, 1.0],
                           "davies_bouldin": [0.2, 0.3, 0.2]})
    assert choose_k(scores, "silhouette").loc[lambda d: d["is_chosen"], "k"].item() == 2
    assert choose_k(scores, "davies_bouldin").query("is_chosen")["k"].item() == 3
    out = choose_k(scores, "elbow")  # straight inertia line: no knee
    assert not out["is_knee"].any() and out.query("is_chosen")["k"].item() == 2
    assert out["selection_rule"].iloc[0] == "elbow (no knee found; fell back to silhouette)"
    # NaN is skipped, a tie goes to the smallest k
    nan_first = scores.assign(silhouette=[0.7, np.nan, 0.7])
    assert choose_k(nan_first, "silhouette").query("is_chosen")["k"].item() == 3


def test_choose_k_all_undefined():
    scores = pd.DataFrame({"k": [2, 3], "inertia": [0.0, 0.0], "silhouette": [np.nan, np.nan],
                           "silhouette_method": "undefined", "calinski_harabasz": np.nan, "davies_bouldin": np.nan})
    with pytest.raises(InputDataError, match="model m: silhouette is undefined for every k"):
        choose_k(scores, "silhouette", model="m")
    with pytest.raises(InputDataError, match="model m: combined_score is undefined for every k"):
        choose_k(scores.assign(combined_score=np.nan), "balanced", model="m")


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
    out = choose_k(_table(), "gap")
    assert out.loc[out["is_knee"], "k"].tolist() == [4]
    assert out.loc[out["is_silhouette_best"], "k"].tolist() == [5]
    # gap: k=2: 0.2 >= 0.5-0.05? no; k=3: 0.5 >= 0.85? no; k=4: 0.9 >= 0.85-0.05 -> 4
    assert out.loc[out["is_gap_best"], "k"].tolist() == [4] and _pick(out) == 4
    assert out["is_eligible"].all() and (out["selection_rule"] == "gap").all()
    for col in ["is_eligible", "is_knee", "is_silhouette_best", "is_gap_best", "is_combined_best", "is_chosen"]:
        assert out[col].dtype == bool, col


@pytest.mark.parametrize(
    "rule, share, expected",
    [("silhouette", 0.0, 5), ("silhouette", 0.05, 3), ("calinski_harabasz", 0.15, 3),
     ("davies_bouldin", 0.05, 3), ("gap", 0.15, 3), ("elbow", 0.05, 4)],
)
def test_rules_choose_only_among_eligible_k(rule, share, expected):
    # share 0.05 makes k=5, 6 ineligible; 0.15 also k=4
    out = choose_k(_table(), rule, min_cluster_share=share)
    assert _pick(out) == expected
    assert out["is_eligible"].tolist() == [s >= share for s in [0.40, 0.20, 0.10, 0.02, 0.01]]
    assert not (out["is_silhouette_best"] & ~out["is_eligible"]).any()
    assert not (out["is_gap_best"] & ~out["is_eligible"]).any()


def test_gap_fallback_and_elbow_with_ineligible_knee():
    rising = _table(gap=[0.1, 0.2, 0.3, 0.4, 0.5], gap_sd=[0.01] * 5)
    out = choose_k(rising, "gap")
    assert _pick(out) == 6
    assert out["selection_rule"].iloc[0] == "gap (no k met Gap(k) >= Gap(k+1) - s_k+1; took the maximum gap)"
    out = choose_k(_table(), "elbow", min_cluster_share=0.15)
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
    out = choose_k(_table(**changes), "vote", min_cluster_share=share)
    assert _pick(out) == expected
    assert (out["selection_rule"] == text).all()


def test_no_eligible_k_and_ineligible_fixed_k():
    with pytest.raises(InputDataError, match=r"model m: no k in 2\.\.6 is eligible: .*min_cluster_share=0\.45 .*"
                                             r"largest smallest_cluster_share seen: 0\.4 at k=2\); "
                                             r"lower min_cluster_share or the k range"):
        choose_k(_table(), "silhouette", min_cluster_share=0.45, model="m")
    with pytest.raises(InputDataError, match=r"model m: n_clusters=5 leaves a cluster with 0\.02 of the rows, below "
                                             r"min_cluster_share=0\.05"):
        choose_k(_table(), "fixed", n_clusters=5, min_cluster_share=0.05, model="m")
    with pytest.raises(InputDataError, match=r"model m: silhouette is undefined for every k in the grid that meets "
                                             r"min_cluster_share=0\.15"):
        choose_k(_table(silhouette=[np.nan, np.nan, np.nan, 0.5, 0.5]), "silhouette", min_cluster_share=0.15,
                 model="m")


def test_gap_rules_without_gap_values():
    scores = _table(gap=np.nan, gap_sd=np.nan, gap_references=0)
    out = choose_k(scores, "silhouette")
    assert not out["is_gap_best"].any() and _pick(out) == 5
    with pytest.raises(InputDataError, match=r"model m: the gap statistic was not computed \(gap_references=0\)"):
        choose_k(scores, "vote", model="m")


def test_evaluate_k_grid_smallest_cluster_share(blob_scores):
    # 4 blobs of 75 rows: at k=4 the smallest cluster holds a quarter of the rows
    assert blob_scores.loc[blob_scores["k"] == 4, "smallest_cluster_share"].item() == pytest.approx(0.25)
    assert blob_scores["smallest_cluster_share"].between(0, 0.5).all()
    assert blob_scores["gap"].isna().all() and (blob_scores["gap_references"] == 0).all()


# --- balanced: the combined score of silhouette and balance ---------------------------------------------------

@pytest.mark.parametrize("share, expected", [(0.0, 5), (0.05, 2)])
def test_balanced_rule_on_hand_table(share, expected):
    # combined 0.9 at k=5 and k=6: the tie goes to k=5; min_cluster_share 0.05 leaves k=2..4, best 0.75 at k=2
    out = choose_k(_table(combined_score=[0.75, 0.7, 0.6, 0.9, 0.9]), "balanced", min_cluster_share=share)
    assert _pick(out) == expected and out.loc[out["is_combined_best"], "k"].tolist() == [expected]
    assert (out["selection_rule"] == "balanced").all()


# X: six close rows and a far pair. k=2 splits off the pair (silhouette 0.980, sizes 6/2, balance 0.5);
# k=4 makes four pairs (silhouette 0.564, balance 1); k=3 lies between (0.633, 0.823).
HAND_X = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 100.0, 101.0])[:, None]
HAND_LABELS = {2: [0, 0, 0, 0, 0, 0, 1, 1], 3: [0, 0, 0, 1, 1, 1, 2, 2], 4: [0, 0, 1, 1, 2, 2, 3, 3]}


@pytest.mark.parametrize(
    "weights, expected, combined_at_2",
    [((1.0, 0.0), 2, 0.979585), ((0.8, 0.2), 2, 0.883668), ((4.0, 6.0), 4, 0.691834), ((0.0, 1.0), 4, 0.5)],
)
def test_balanced_rule_follows_the_weights(weights, expected, combined_at_2):
    grid = evaluate_k_grid(HAND_X, [2, 3, 4], lambda k: GridFit(np.array(HAND_LABELS[k])),
                           silhouette_sample_size=100, random_state=0, balance_weights=weights)
    # sizes 6/2: std 2 / mean 4; sizes 3/3/2: std sqrt(2/9) / mean 8/3; four pairs: std 0
    np.testing.assert_allclose(grid["balance"], [0.5, 1 - np.sqrt(2 / 9) / (8 / 3), 1.0])
    assert grid.loc[0, "combined_score"] == pytest.approx(combined_at_2, abs=1e-6)  # weights are normalised
    out = choose_k(grid, "balanced")
    assert _pick(out) == expected
    assert out.loc[out["is_silhouette_best"], "k"].tolist() == [2]  # silhouette alone always takes the pair
