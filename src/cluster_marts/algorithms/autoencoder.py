"""Neural segmentation: an autoencoder embedding, then k-means on it.

Why scikit-learn and not torch/tensorflow: the autoencoder is tiny (a few
hundred weights on a handful of features), so :class:`sklearn.neural_network.MLPRegressor`
is enough; it adds no multi-GB dependency to the warehouse install, runs on
the CPU-only machines dbt runs on, and is deterministic given ``random_state``
(no CUDA or thread-order nondeterminism to pin down).

The network is ``n_features -> hidden_units -> encoding_dim -> hidden_units
-> n_features`` with ``tanh`` activations, trained (adam) to reconstruct the
scaled axis features.  The embedding is the activation of the middle layer,
computed by a forward pass with the fitted ``coefs_``/``intercepts_``
(:func:`encode`).  ``encoding_dim`` is capped at the axis's feature count: a
bottleneck wider than the input compresses nothing.  The autoencoder does not
depend on k, so it is trained once per axis; only the k-means varies with k.

Memberships of this method are hard (1 for the assigned segment, 0 for the
others): k-means gives no probabilities.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

__all__ = ["Autoencoder", "train_autoencoder", "encode", "fit_embedding_kmeans", "EmbeddingFit"]


@dataclass(eq=False)
class Autoencoder:
    """A trained autoencoder and the embedding of its training rows.

    Attributes
    ----------
    model : MLPRegressor
    embedding : ndarray of shape (n_samples, encoding_dim)
    encoding_dim : int
        Effective bottleneck width (after the cap at n_features).
    reconstruction_error : float
        Mean squared error of the reconstruction, over rows and features.
    converged : bool
        False when the optimiser hit ``epochs`` without meeting its tolerance.
    n_iter : int
        Epochs run.
    """

    model: MLPRegressor
    embedding: np.ndarray
    encoding_dim: int
    reconstruction_error: float
    converged: bool
    n_iter: int


def encode(model: MLPRegressor, X: np.ndarray) -> np.ndarray:
    """Forward pass up to the bottleneck (the middle hidden layer), ``tanh`` activations.

    Parameters
    ----------
    model : MLPRegressor
        Fitted, with an odd number of hidden layers whose middle one is the code.
    X : ndarray of shape (n_samples, n_features)

    Returns
    -------
    ndarray of shape (n_samples, encoding_dim)
    """
    n_hidden = len(model.coefs_) - 1
    a = np.asarray(X, dtype=np.float64)
    for layer in range(n_hidden // 2 + 1):
        a = np.tanh(a @ model.coefs_[layer] + model.intercepts_[layer])
    return a


def train_autoencoder(
    X: np.ndarray,
    *,
    encoding_dim: int = 3,
    hidden_units: int = 16,
    epochs: int = 200,
    batch_size: int = 64,
    random_state: int = 0,
) -> Autoencoder:
    """Train the autoencoder on scaled ``X`` and embed its rows.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    encoding_dim : int, default=3
        Capped at ``n_features``.
    hidden_units : int, default=16
    epochs : int, default=200
        ``max_iter`` of the MLP (adam: epochs).
    batch_size : int, default=64
        Capped at ``n_samples``.
    random_state : int, default=0

    Returns
    -------
    Autoencoder
    """
    X = np.asarray(X, dtype=np.float64)
    dim = min(encoding_dim, X.shape[1])
    model = MLPRegressor(
        hidden_layer_sizes=(hidden_units, dim, hidden_units), activation="tanh", solver="adam",
        max_iter=epochs, batch_size=min(batch_size, X.shape[0]), random_state=random_state,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(X, X if X.shape[1] > 1 else X.ravel())
    converged = True
    for w in caught:
        if issubclass(w.category, ConvergenceWarning):
            converged = False
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    reconstruction = model.predict(X).reshape(X.shape)
    return Autoencoder(
        model=model, embedding=encode(model, X), encoding_dim=dim,
        reconstruction_error=float(np.mean((X - reconstruction) ** 2)), converged=converged, n_iter=int(model.n_iter_),
    )


@dataclass(eq=False)
class EmbeddingFit:
    """k-means on the embedding: labels, centres (embedding space) and distances to every centre."""

    labels: np.ndarray
    centers: np.ndarray
    distances: np.ndarray


def fit_embedding_kmeans(E: np.ndarray, k: int, *, random_state: int = 0, n_init: int = 10) -> EmbeddingFit:
    """K-means (k-means++, ``n_init`` seeded restarts) on the embedding.

    Parameters
    ----------
    E : ndarray of shape (n_samples, encoding_dim)
    k : int
    random_state : int, default=0
    n_init : int, default=10

    Returns
    -------
    EmbeddingFit
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # fewer distinct points than k
        model = KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(E)
    centers = np.asarray(model.cluster_centers_, dtype=np.float64)
    distances = np.linalg.norm(E[:, None, :] - centers[None, :, :], axis=2)
    return EmbeddingFit(np.asarray(model.labels_, dtype=np.int64), centers, distances)
