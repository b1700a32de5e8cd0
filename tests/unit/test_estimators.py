"""Every estimator of cluster_marts.algorithms.registry on planted data: recovery, fitted state, scoring new rows.

Two differently built planted sets, scaled like the engine's input:

* ``blobs-0`` / ``blobs-11``: sklearn ``make_blobs`` with three fixed centres
  >= 5.8 apart at std 0.8 (>= 7 standard deviations), two noise seeds;
* ``aniso``: numpy, three sheared (elongated, correlated) Gaussian clusters of
  unequal sizes 200 / 100 / 50 and unequal spreads.

ARI threshold 0.9: the planted groups are separated by many standard
deviations, so a method that works at all assigns every row but the odd
rim row correctly (ARI 0.96 .. 1.0 observed); a method that merges or splits
a group scores below 0.6.  Density methods label a few rim rows noise, which
ARI counts as a fourth group: threshold 0.9 still holds (0.96 .. 1.0).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from cluster_marts.algorithms.fcm import FuzzyCMeansClusterer
from cluster_marts.algorithms.registry import ALGORITHMS, DENSITY_ALGORITHMS, make_estimator
from cluster_marts.errors import InputDataError, SettingsError

NEAREST_CENTRE = ("kmeans", "minibatch_kmeans", "fcm", "neural")  # labels_ is the nearest centre by construction
EXACT_PREDICT = (*NEAREST_CENTRE, "gmm")
PARAMS = {
    "dbscan": {"eps": 0.3, "min_samples": 5},
    "hdbscan": {"min_cluster_size": 15},
    "optics": {"min_samples": 40, "xi": 0.05, "min_cluster_size": 30},
}


def _blobs(seed: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_blobs(300, centers=[[0.0, 0.0], [6.0, 0.0], [3.0, 5.0]], cluster_std=0.8, random_state=seed)
    return StandardScaler().fit_transform(X), y


def _aniso() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2024)
    sizes, spreads = (200, 100, 50), (1.0, 0.7, 0.5)
    centres = np.array([[0.0, 0.0], [8.0, 3.0], [2.0, 9.0]])
    shear = np.array([[1.0, 0.0], [0.9, 0.4]])
    X = np.vstack([rng.normal(size=(n, 2)) @ (shear * s) + c for n, s, c in zip(sizes, spreads, centres)])
    return StandardScaler().fit_transform(X), np.repeat(np.arange(3), sizes)


DATASETS = {"blobs-0": _blobs(0), "blobs-11": _blobs(11), "aniso": _aniso()}
CASES = [(name, data) for name in ALGORITHMS for data in DATASETS]
_FITS: dict[tuple[str, str], object] = {}


@pytest.fixture(autouse=True)
def _one_thread():
    """Native thread pools off: these fits are tiny and OpenMP spin-waits on a busy CI box."""
    with threadpool_limits(limits=1):
        yield


def _estimator(name: str):
    return make_estimator(name, None if name in DENSITY_ALGORITHMS else 3, random_state=0, **PARAMS.get(name, {}))


def _fitted(name: str, data: str):
    if (name, data) not in _FITS:
        est = _estimator(name)
        assert est.fit(DATASETS[data][0]) is est  # fit returns self
        _FITS[name, data] = est
    return _FITS[name, data]


@pytest.mark.parametrize(("name", "data"), CASES)
def test_recovers_the_planted_groups(name, data):
    X, y = DATASETS[data]
    est = _fitted(name, data)
    assert est.labels_.dtype == np.int64 and est.labels_.shape == (X.shape[0],)
    assert adjusted_rand_score(y, est.labels_) >= 0.9
    assert est.n_clusters_ == 3 and est.cluster_centers_.shape[0] == 3
    assert set(np.unique(est.labels_)) <= {-1, 0, 1, 2}
    assert est.n_features_in_ == 2 and isinstance(est.converged_, bool) and est.n_iter_ >= 0


@pytest.mark.parametrize(("name", "data"), CASES)
def test_predict_on_training_rows_agrees_with_labels(name, data):
    X, _ = DATASETS[data]
    est = _fitted(name, data)
    agreement = np.mean(est.predict(X) == est.labels_)
    if name in EXACT_PREDICT:
        assert agreement == 1.0
    else:  # agglomerative, spectral (nearest member mean) and density (nearest anchor within reach)
        assert agreement >= 0.95


@pytest.mark.parametrize(("name", "data"), CASES)
def test_memberships_transform_inertia_and_radius(name, data):
    X, _ = DATASETS[data]
    est = _fitted(name, data)
    n, k = X.shape[0], est.n_clusters_
    clustered = est.labels_ >= 0
    for u, labels in ((est.memberships_, est.labels_), (est.predict_memberships(X), est.predict(X))):
        assert u.shape == (n, k) and (u >= 0).all()
        np.testing.assert_allclose(u[labels >= 0].sum(axis=1), 1.0, atol=1e-9)
        assert (u[labels < 0] == 0).all()  # a noise row belongs to no cluster
        if name not in ("gmm", "fcm"):
            np.testing.assert_array_equal(u[labels >= 0].argmax(axis=1), labels[labels >= 0])  # one-hot
    d = est.transform(X)
    assert d.shape == (n, k)
    space = est.autoencoder_.transform(X) if name == "neural" else X  # neural centres live in the embedding
    expected = np.sqrt(((space[:, None, :] - est.cluster_centers_[None, :, :]) ** 2).sum(axis=2))
    np.testing.assert_allclose(d, expected, atol=1e-9)
    own = expected[clustered, est.labels_[clustered]]
    assert est.inertia_ == pytest.approx((own**2).sum())
    for c in range(k):
        members = own[est.labels_[clustered] == c]
        assert est.radius_[c] == pytest.approx(np.sqrt(np.mean(members**2)))


OUTLIERS = np.array([[12.0, 12.0], [-12.0, 10.0], [10.0, -12.0], [-11.0, -11.0]])  # ~10 sd outside the data


@pytest.mark.parametrize(("name", "data"), [case for case in CASES if case[0] != "neural"])
def test_normalized_distance_flags_far_away_rows(name, data):
    X, _ = DATASETS[data]
    est = _fitted(name, data)
    inliers = est.row_scores(X, est.labels_)
    outliers = OUTLIERS
    scores = est.row_scores(outliers)
    assert scores.normalized_distance.min() > 3 * np.nanmax(inliers.normalized_distance[est.labels_ >= 0])
    # a typical member lies about one radius from its centre
    assert 0.5 < np.median(inliers.normalized_distance[est.labels_ >= 0]) < 1.5
    if name in DENSITY_ALGORITHMS:
        assert (est.predict(outliers) == -1).all()


@pytest.mark.parametrize("data", DATASETS)
def test_neural_flags_far_away_rows_by_reconstruction_error(data):
    # the tanh embedding saturates, so distances there do not grow without bound; the reconstruction error does
    X, _ = DATASETS[data]
    autoencoder = _fitted("neural", data).autoencoder_
    inliers, outliers = autoencoder.reconstruction_errors(X), autoencoder.reconstruction_errors(OUTLIERS)
    assert outliers.min() > 10 * inliers.max()
    assert np.mean(inliers) == pytest.approx(autoencoder.reconstruction_error_)


@pytest.mark.parametrize(("name", "data"), CASES)
def test_margin(name, data):
    X, _ = DATASETS[data]
    est = _fitted(name, data)
    scores = est.row_scores(X, est.labels_)
    d = np.sort(est.transform(X), axis=1)
    if name in NEAREST_CENTRE:
        assert (scores.margin >= 0).all()
        np.testing.assert_allclose(scores.margin, d[:, 1] - d[:, 0], atol=1e-9)  # second-nearest minus nearest
    assert (scores.runner_up != np.where(est.labels_ >= 0, est.labels_, -2)).all()
    assert np.isfinite(scores.margin).all()


def test_margin_is_nan_with_one_cluster():
    X, _ = DATASETS["blobs-0"]
    scores = make_estimator("kmeans", 1).fit(X).row_scores(X)
    assert np.isnan(scores.margin).all() and (scores.runner_up == -1).all()
    assert np.median(scores.normalized_distance) < 1.5


def test_fcm_memberships_match_the_formula_on_hand_made_points():
    X = np.array([[-0.2, 0.0], [0.0, 0.1], [0.2, -0.1], [3.8, 2.0], [4.0, 2.1], [4.2, 1.9]])
    for m in (2.0, 1.5):
        est = FuzzyCMeansClusterer(2, m=m, random_state=0).fit(X)
        c = est.cluster_centers_
        points = np.array([[1.0, 0.5], [2.0, 1.0], c[1]])  # between, half-way, on a centre
        d = np.sqrt(((points[:, None, :] - c[None, :, :]) ** 2).sum(axis=2))
        expected = np.empty((3, 2))
        for i in range(2):  # u_ij = 1 / sum_l (d_ij / d_il) ** (2 / (m - 1))
            for j in range(2):
                expected[i, j] = 1.0 / sum((d[i, j] / d[i, other]) ** (2.0 / (m - 1.0)) for other in range(2))
        expected[2] = [0.0, 1.0]  # on centre 1: all membership there
        np.testing.assert_allclose(est.predict_memberships(points), expected, atol=1e-12)
        assert est.predict(points)[2] == 1
    # m = 2 and distances 1 and 3 give 1 / (1 + 1/9) = 0.9
    est = FuzzyCMeansClusterer(2, m=2.0, random_state=0).fit(np.array([[0.0], [0.0], [4.0], [4.0]]))
    u = est.predict_memberships(np.array([[1.0], [3.0]]))
    np.testing.assert_allclose(np.sort(u, axis=1), [[0.1, 0.9], [0.1, 0.9]], atol=1e-9)


def test_fit_metrics():
    X, _ = DATASETS["aniso"]
    gmm, fcm, neural = (_fitted(name, "aniso") for name in ("gmm", "fcm", "neural"))
    n_params = 3 * 2 + 3 * 3 + 2  # means, full covariances, weights
    assert gmm.metrics_["bic"] == pytest.approx(-2 * gmm.metrics_["log_likelihood"] + n_params * np.log(X.shape[0]))
    u = fcm.memberships_
    assert fcm.metrics_["partition_coefficient"] == pytest.approx((u**2).sum() / X.shape[0])
    assert 0 < fcm.metrics_["partition_entropy"] < np.log(3)
    assert 0 <= neural.metrics_["reconstruction_error"] < 1 and neural.metrics_["encoding_dim"] == 2
    assert _fitted("kmeans", "aniso").metrics_ == {}


def test_density_predict_rule_by_hand():
    line = np.array([[0.0], [0.1], [0.2], [0.3], [0.4], [5.0], [5.1], [5.2], [5.3], [5.4], [20.0]])
    est = make_estimator("dbscan", eps=0.15, min_samples=3).fit(line)
    np.testing.assert_array_equal(est.labels_, [0] * 5 + [1] * 5 + [-1])
    # core samples are 0.1..0.3 and 5.1..5.3; a row joins when within eps of one
    np.testing.assert_array_equal(est.predict([[0.44], [0.46], [4.96], [2.5], [5.2]]), [0, -1, 1, -1, 1])


def test_deterministic_given_random_state():
    X, _ = DATASETS["blobs-11"]
    for name in ALGORITHMS:
        a, b = _estimator(name).fit(X), _estimator(name).fit(X)
        np.testing.assert_array_equal(a.labels_, b.labels_)
        np.testing.assert_array_equal(a.cluster_centers_, b.cluster_centers_)


def test_registry_errors_name_the_allowed_values():
    with pytest.raises(SettingsError, match=r"'algorithm'='kmedoids' is not allowed; use one of: agglomerative, "
                                            r"dbscan, fcm, gmm, hdbscan, kmeans, minibatch_kmeans, neural, optics, "
                                            r"spectral"):
        make_estimator("kmedoids", 3)
    with pytest.raises(SettingsError, match=r"fcm: parameter 'm'=1\.0 is not allowed; allowed values: a float > 1"):
        make_estimator("fcm", 3, m=1.0)
    with pytest.raises(SettingsError, match=r"agglomerative: parameter 'linkage'='median' is not allowed; allowed "
                                            r"values: one of ward, complete, average, single"):
        make_estimator("agglomerative", 3, linkage="median")
    with pytest.raises(SettingsError, match=r"kmeans: parameter 'n_clusters'=0 is not allowed; allowed values: "
                                            r"an int >= 1"):
        make_estimator("kmeans", 0)
    with pytest.raises(SettingsError, match=r"gmm: unknown parameter\(s\) eps; allowed: covariance_type, n_init, "
                                            r"max_iter, reg_covar"):
        make_estimator("gmm", 3, eps=0.5)
    with pytest.raises(SettingsError, match=r"dbscan: n_clusters=3 is not allowed"):
        make_estimator("dbscan", 3)
    with pytest.raises(SettingsError, match=r"spectral: n_clusters is required"):
        make_estimator("spectral")
    # the constructor only stores: a bad value set directly fails when fit starts
    with pytest.raises(SettingsError, match=r"optics: parameter 'xi'=1\.5 is not allowed; allowed values: "
                                            r"a float > 0 and < 1"):
        ALGORITHMS["optics"](xi=1.5).fit(DATASETS["aniso"][0])


def test_input_errors():
    X, _ = DATASETS["blobs-0"]
    with pytest.raises(InputDataError, match=r"kmeans: n_samples=2 should be >= k=3"):
        make_estimator("kmeans", 3).fit(X[:2])
    with pytest.raises(InputDataError, match=r"X has 3 features but the estimator was fitted with 2"):
        _fitted("kmeans", "blobs-0").predict(np.zeros((1, 3)))
