"""Autoencoder + k-means method of cluster_marts.algorithms.autoencoder."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from cluster_marts.algorithms.autoencoder import encode, fit_embedding_kmeans, train_autoencoder


@pytest.fixture(autouse=True)
def _one_thread():
    """Native thread pools off: these fits are tiny and OpenMP spin-waits on a busy CI box."""
    with threadpool_limits(limits=1):
        yield

X_RAW, Y = make_blobs(n_samples=300, centers=3, n_features=4, cluster_std=1.0, random_state=3)
XS = StandardScaler().fit_transform(X_RAW)


@pytest.fixture(scope="module")
def autoencoder():
    return train_autoencoder(XS, encoding_dim=2, hidden_units=16, epochs=150, batch_size=64, random_state=0)


def test_recovers_three_blobs(autoencoder):
    fit = fit_embedding_kmeans(autoencoder.embedding, 3, random_state=0)
    assert adjusted_rand_score(Y, fit.labels) >= 0.9
    assert np.isfinite(autoencoder.reconstruction_error)
    assert 0 <= autoencoder.reconstruction_error < 1.0  # scaled data have variance 1 per feature
    assert autoencoder.embedding.shape == (300, 2)


def test_encode_is_the_first_half_of_the_forward_pass(autoencoder):
    model = autoencoder.model
    a = encode(model, XS)
    a = np.tanh(a @ model.coefs_[2] + model.intercepts_[2])
    out = a @ model.coefs_[3] + model.intercepts_[3]  # identity output layer
    np.testing.assert_allclose(out, model.predict(XS), atol=1e-12)


def test_encoding_dim_is_capped_and_runs_are_deterministic():
    one_feature = XS[:, :1]
    a = train_autoencoder(one_feature, encoding_dim=3, epochs=20, random_state=1)
    b = train_autoencoder(one_feature, encoding_dim=3, epochs=20, random_state=1)
    assert a.encoding_dim == 1 and a.embedding.shape == (300, 1)
    np.testing.assert_array_equal(a.embedding, b.embedding)
    assert not a.converged  # 20 epochs are too few; recorded, not warned
    assert a.n_iter == 20


def test_distances_cover_every_centre():
    fit = fit_embedding_kmeans(XS[:, :2], 3, random_state=0)
    np.testing.assert_allclose(fit.distances.argmin(axis=1), fit.labels)
    assert fit.distances.shape == (300, 3)
