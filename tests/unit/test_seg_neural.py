"""Autoencoder + k-means method (neural) of cluster_marts.algorithms.autoencoder."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from cluster_marts.algorithms.autoencoder import AutoencoderEmbedding, AutoencoderKMeansClusterer, encode


@pytest.fixture(autouse=True)
def _one_thread():
    """Native thread pools off: these fits are tiny and OpenMP spin-waits on a busy CI box."""
    with threadpool_limits(limits=1):
        yield

X_RAW, Y = make_blobs(n_samples=300, centers=3, n_features=4, cluster_std=1.0, random_state=3)
XS = StandardScaler().fit_transform(X_RAW)


@pytest.fixture(scope="module")
def autoencoder():
    return AutoencoderEmbedding(encoding_dim=2, hidden_units=16, epochs=150, batch_size=64, random_state=0).fit(XS)


def test_recovers_three_blobs(autoencoder):
    fit = AutoencoderKMeansClusterer(3, random_state=0, autoencoder=autoencoder).fit(XS)
    assert adjusted_rand_score(Y, fit.labels_) >= 0.9
    assert np.isfinite(autoencoder.reconstruction_error_)
    assert 0 <= autoencoder.reconstruction_error_ < 1.0  # scaled data have variance 1 per feature
    assert autoencoder.transform(XS).shape == (300, 2) and fit.cluster_centers_.shape == (3, 2)
    assert fit.autoencoder_ is autoencoder and fit.metrics_["reconstruction_error"] == autoencoder.reconstruction_error_


def test_trains_its_own_autoencoder_like_a_prefit_one():
    own = AutoencoderKMeansClusterer(3, encoding_dim=2, epochs=150, random_state=0).fit(XS)
    prefit = AutoencoderEmbedding(encoding_dim=2, epochs=150, random_state=0).fit(XS)
    np.testing.assert_array_equal(own.autoencoder_.transform(XS), prefit.transform(XS))


def test_encode_is_the_first_half_of_the_forward_pass(autoencoder):
    model = autoencoder.model_
    a = encode(model, XS)
    a = np.tanh(a @ model.coefs_[2] + model.intercepts_[2])
    out = a @ model.coefs_[3] + model.intercepts_[3]  # identity output layer
    np.testing.assert_allclose(out, model.predict(XS), atol=1e-12)


def test_encoding_dim_is_capped_and_runs_are_deterministic():
    one_feature = XS[:, :1]
    a = AutoencoderEmbedding(encoding_dim=3, epochs=20, random_state=1).fit(one_feature)
    b = AutoencoderEmbedding(encoding_dim=3, epochs=20, random_state=1).fit(one_feature)
    assert a.encoding_dim_ == 1 and a.transform(one_feature).shape == (300, 1)
    np.testing.assert_array_equal(a.transform(one_feature), b.transform(one_feature))
    assert not a.converged_  # 20 epochs are too few; recorded, not warned
    assert a.n_iter_ == 20


def test_distances_are_in_the_embedding_and_cover_every_centre(autoencoder):
    fit = AutoencoderKMeansClusterer(3, random_state=0, autoencoder=autoencoder).fit(XS)
    distances = fit.transform(XS)
    assert distances.shape == (300, 3)
    embedded = encode(autoencoder.model_, XS)  # transform embeds first, then measures to the centres
    expected = np.linalg.norm(embedded[:, None, :] - fit.cluster_centers_[None, :, :], axis=2)
    np.testing.assert_allclose(distances, expected, atol=1e-12)
    np.testing.assert_array_equal(distances.argmin(axis=1), fit.labels_)
    np.testing.assert_array_equal(fit.predict(XS), fit.labels_)
