"""Tests for cluster_marts.preprocessing.reduction: variance filter and PCA between scaling and clustering,
alone and end to end through the pipeline (select_k, assign_clusters, centroids, scaler_params)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.partition import CENTROID_COLUMNS, assign_clusters, centroids, scaler_params, select_k
from cluster_marts.config.cluster import ClusterSettings
from cluster_marts.errors import InputDataError
from cluster_marts.preprocessing.reduction import apply_preprocessing, fit_preprocessing
from cluster_marts.preprocessing.scaling import fit_scaler, transform

FEATURES = ("a", "b", "c")
# raw variances (ddof=0), exact in binary floating point:
#   a: deviations (-2, -1, -1, 1, 1, 2) -> 12/6 = 2.0
#   b: deviations +-1/16 -> 1/256 = 0.00390625 (tiny in raw units, yet 1.0 after standard scaling)
#   c: deviations (4, -2, 2, -4, -2, 2) -> 48/6 = 8.0
X = np.array([[0.0, 0.5, 7.0], [1.0, 0.625, 1.0], [1.0, 0.5, 5.0], [3.0, 0.625, -1.0], [3.0, 0.5, 1.0],
              [4.0, 0.625, 5.0]])
XS = transform(X, fit_scaler(X, "standard", FEATURES))


def _settings(**kw):
    return ClusterSettings(id_column="id", features=FEATURES, **kw)


def test_defaults_are_the_identity():
    pre = fit_preprocessing(X, XS, _settings())
    assert pre.is_identity and pre.kept_features == FEATURES and pre.dropped_features == ()
    assert pre.n_components == 3
    np.testing.assert_array_equal(pre.variances, [2.0, 1 / 256, 8.0])
    np.testing.assert_array_equal(apply_preprocessing(XS, pre), XS)


@pytest.mark.parametrize(
    "min_variance, kept",
    [(1 / 256, ("a", "b", "c")), (0.01, ("a", "c")), (2.0, ("a", "c")), (2.0001, ("c",))],
    ids=["at-threshold-kept", "dfu-threshold", "boundary", "only-c"],
)
def test_min_variance_uses_raw_variance(min_variance, kept):
    pre = fit_preprocessing(X, XS, _settings(min_variance=min_variance))
    assert pre.kept_features == kept
    assert pre.dropped_features == tuple(f for f in FEATURES if f not in kept)
    assert not pre.is_identity or kept == FEATURES
    idx = [FEATURES.index(f) for f in kept]
    np.testing.assert_array_equal(apply_preprocessing(XS, pre), XS[:, idx])  # scaled values, kept columns
    assert np.allclose(XS.var(axis=0), 1.0)  # after scaling every column looks alike: the filter must look at raw


def test_min_variance_dropping_everything_names_the_fix():
    with pytest.raises(InputDataError, match=r"model m: min_variance=9\.0 would drop every feature \(largest raw "
                                             r"variance 8, for 'c'\); lower min_variance"):
        fit_preprocessing(X, XS, _settings(min_variance=9.0), model="m")


def test_pca_matches_sklearn_and_is_deterministic():
    pre = fit_preprocessing(X, XS, _settings(min_variance=0.01, pca_components=2))
    assert pre.n_components == 2 and pre.kept_features == ("a", "c") and not pre.is_identity
    Z = apply_preprocessing(XS, pre)
    expected = PCA(n_components=2, svd_solver="full").fit_transform(XS[:, [0, 2]])
    np.testing.assert_allclose(Z, expected, atol=1e-12)
    # full-rank PCA only rotates: pairwise distances are kept
    d = lambda M: np.linalg.norm(M[:, None] - M[None], axis=2)  # noqa: E731
    np.testing.assert_allclose(d(Z), d(XS[:, [0, 2]]), atol=1e-12)
    again = apply_preprocessing(XS, fit_preprocessing(X, XS, _settings(min_variance=0.01, pca_components=2)))
    np.testing.assert_array_equal(Z, again)
    # sklearn's sign convention (svd_flip, v-based): the largest |loading| of each component is positive
    comps = pre.pca.components_
    assert (comps[np.arange(2), np.abs(comps).argmax(axis=1)] > 0).all()


def test_pca_one_component_is_the_leading_direction():
    pre = fit_preprocessing(X, XS, _settings(pca_components=1))
    Z = apply_preprocessing(XS, pre)
    assert Z.shape == (6, 1)
    assert Z.var() == pytest.approx(pre.pca.explained_variance_[0] * 5 / 6)  # PCA reports ddof=1


@pytest.mark.parametrize(
    "rows, settings, match",
    [
        (6, {"min_variance": 0.01, "pca_components": 3},
         r"model m: pca_components=3 exceeds the 2 feature\(s\) kept after min_variance=0\.01 dropped b; lower"),
        (2, {"pca_components": 3}, r"model m: pca_components=3 exceeds the 2 input row\(s\)"),
    ],
)
def test_pca_too_many_components(rows, settings, match):
    with pytest.raises(InputDataError, match=match):
        fit_preprocessing(X[:rows], XS[:rows], _settings(**settings), model="m")


def test_no_rows_gives_the_identity():
    pre = fit_preprocessing(np.empty((0, 3)), np.empty((0, 3)), _settings(min_variance=1.0, pca_components=2))
    assert pre.is_identity and pre.kept_features == FEATURES


# --- end to end through cluster_marts.adapters.partition ---------------------------------------------

MODEL = "int_dfu_clusters"
BX, BY = make_blobs(n_samples=300, centers=4, cluster_std=0.6, random_state=42)
FEATURES_2 = pd.DataFrame({"entity_id": np.arange(1000, 1300), "x0": BX[:, 0], "x1": BX[:, 1]})
META = {"id_column": "entity_id", "features": ["x0", "x1"], "random_state": 42}

RNG = np.random.default_rng(0)
# "flat": raw variance ~0.0025 (< 0.01), but as loud as x0 and x1 once standard-scaled
WIDE = FEATURES_2.assign(flat=0.5 + RNG.normal(0.0, 0.05, 300), x2=BX[:, 0] - BX[:, 1] + RNG.normal(0.0, 0.3, 300))
META3 = {**META, "features": ["x0", "x1", "flat"], "min_variance": "0.01"}


def _run(frame, meta):
    ks = select_k(frame, meta, model=MODEL)
    return ks, assign_clusters(frame, ks, meta, model=MODEL), centroids(frame, ks, meta, model=MODEL)


def _chosen(frame):
    return int(frame.loc[frame["is_chosen"], "k"].item())


@pytest.fixture(scope="module")
def plain():
    return _run(FEATURES_2, META)


@pytest.fixture(scope="module")
def filtered():
    return _run(WIDE, META3)


def test_min_variance_drops_the_flat_feature_everywhere(filtered, plain):
    ks, out, cents = filtered
    assignments = plain[1]
    assert _chosen(ks) == 4
    assert (ks["features"] == "x0,x1,flat").all() and (ks["features_used"] == "x0,x1").all()
    assert (ks["n_components"] == 2).all()
    assert (out["run_id"] == ks["run_id"].iloc[0]).all() and (cents["run_id"] == ks["run_id"].iloc[0]).all()
    # clustering x0, x1, flat with flat dropped is clustering x0, x1
    np.testing.assert_array_equal(out["cluster_id"], assignments["cluster_id"])
    np.testing.assert_allclose(out["distance_to_centroid"], assignments["distance_to_centroid"])
    params = scaler_params(WIDE, META3, model=MODEL)
    assert params["feature"].tolist() == ["x0", "x1", "flat"] and params["is_used"].tolist() == [True, True, False]


def test_centroids_under_preprocessing_are_member_means_of_every_feature(filtered):
    ks, out, cents = filtered
    assert list(cents.columns) == CENTROID_COLUMNS and len(cents) == 12
    assert cents["is_used"].tolist() == [True, True, False] * 4
    raw = out.groupby("cluster_id")[["x0", "x1", "flat"]].mean()
    got = cents.pivot(index="cluster_id", columns="feature", values="center_original")[["x0", "x1", "flat"]]
    np.testing.assert_allclose(got.to_numpy(), raw.to_numpy(), atol=1e-10)
    params = scaler_params(WIDE, META3, model=MODEL).set_index("feature")
    scaled = (out[["x0", "x1", "flat"]] - params["center"]) / params["scale"]
    got = cents.pivot(index="cluster_id", columns="feature", values="center_scaled")[["x0", "x1", "flat"]]
    np.testing.assert_allclose(got.to_numpy(), scaled.groupby(out["cluster_id"]).mean().to_numpy(), atol=1e-10)
    # SQL-style scoring on the used features (nearest centre in scaled space) reproduces k-means
    used = cents[cents["is_used"]].pivot(index="cluster_id", columns="feature", values="center_scaled")[["x0", "x1"]]
    nearest = np.linalg.norm(scaled[["x0", "x1"]].to_numpy()[:, None] - used.to_numpy()[None], axis=2).argmin(axis=1)
    np.testing.assert_array_equal(nearest, out["cluster_id"])


def test_full_rank_pca_reproduces_the_plain_fit(plain):
    k_selection, assignments, plain_cents = plain
    meta = {**META, "pca_components": 2}
    ks, out, cents = _run(FEATURES_2, meta)
    assert (ks["n_components"] == 2).all() and ks["run_id"].iloc[0] != k_selection["run_id"].iloc[0]
    np.testing.assert_allclose(ks["inertia"], k_selection["inertia"], rtol=1e-9)  # a rotation keeps distances
    np.testing.assert_array_equal(out["cluster_id"], assignments["cluster_id"])  # same canonical ids
    np.testing.assert_allclose(out["silhouette"], assignments["silhouette"], atol=1e-9)
    np.testing.assert_allclose(cents["center_original"], plain_cents["center_original"], atol=1e-8)
    assert cents["is_used"].all()


def test_pca_orders_clusters_by_the_canonical_feature_member_mean():
    meta = {**META, "features": ["x0", "x1", "x2"], "pca_components": 2, "canonical_order": "x1"}
    ks, out, cents = _run(WIDE, meta)
    assert _chosen(ks) == 4 and (ks["n_components"] == 2).all() and (ks["features_used"] == "x0,x1,x2").all()
    assert adjusted_rand_score(BY, out["cluster_id"]) >= 0.95
    assert out.groupby("cluster_id")["x1"].mean().is_monotonic_increasing
    assert cents.query("feature == 'x1'")["center_scaled"].is_monotonic_increasing and len(cents) == 12
    rerun = assign_clusters(WIDE.iloc[::-1], select_k(WIDE.iloc[::-1], meta, model=MODEL), meta, model=MODEL)
    pd.testing.assert_frame_equal(rerun.iloc[::-1].reset_index(drop=True), out)


def test_preprocessing_input_errors():
    with pytest.raises(InputDataError, match=r"model int_dfu_clusters: canonical_order 'flat' was dropped by "
                                             r"min_variance=0\.01 .*choose a kept feature \(x0, x1\)"):
        select_k(WIDE, {**META3, "canonical_order": "flat"}, model=MODEL)
    with pytest.raises(InputDataError, match=r"pca_components=3 exceeds the 2 feature\(s\) kept after "
                                             r"min_variance=0\.01 dropped flat"):
        select_k(WIDE, {**META3, "pca_components": 3}, model=MODEL)
    with pytest.raises(InputDataError, match=r"min_variance=100\.0 would drop every feature"):
        scaler_params(WIDE, {**META3, "min_variance": 100}, model=MODEL)


def test_preprocessing_settings_change_run_id(plain, filtered):
    k_selection = plain[0]
    with pytest.raises(InputDataError, match=r"computed from other data or settings.*min_variance, pca_components"):
        assign_clusters(WIDE, filtered[0], {**META3, "min_variance": 0.001}, model=MODEL)
    # selection-only settings do not: the table of a gap/eligibility run still feeds the plain assignments
    meta = {**META, "gap_references": 2, "min_cluster_share": "0.1", "k_max": 5}
    assert select_k(FEATURES_2, meta, model=MODEL)["run_id"].iloc[0] == k_selection["run_id"].iloc[0]
