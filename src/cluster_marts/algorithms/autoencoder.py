"""Neural segmentation (registry name ``neural``): an autoencoder embedding, then k-means on it.

Why scikit-learn and not torch/tensorflow: the autoencoder is tiny (a few
hundred weights on a handful of features), so :class:`sklearn.neural_network.MLPRegressor`
is enough; it adds no multi-GB dependency to the warehouse install, runs on
the CPU-only machines dbt runs on, and is deterministic given ``random_state``
(no CUDA or thread-order nondeterminism to pin down).

The network is ``n_features -> hidden_units -> encoding_dim -> hidden_units
-> n_features`` with ``tanh`` activations, trained (adam) to reconstruct the
scaled features.  The embedding is the activation of the middle layer,
computed by a forward pass with the fitted ``coefs_``/``intercepts_``
(:func:`encode`).  ``encoding_dim`` is capped at the feature count: a
bottleneck wider than the input compresses nothing.

:class:`AutoencoderEmbedding` is the network (a transformer: ``fit`` trains,
``transform`` embeds); :class:`AutoencoderKMeansClusterer` clusters its
embedding with :class:`~cluster_marts.algorithms.kmeans.KMeansClusterer`.
The autoencoder does not depend on k: pass one fitted
:class:`AutoencoderEmbedding` as ``autoencoder=`` to every k of a grid and it
is trained once.  Centres live in the embedding space: ``transform`` and
``predict`` embed new rows first.  Memberships are hard (one-hot).

Anomalies: the ``tanh`` units saturate, so a row far outside the training
range is squashed onto the edge of the embedding and its normalised distance
(measured there) need not be large.  For this method flag such rows with the
per-row reconstruction error (:meth:`AutoencoderEmbedding.reconstruction_errors`),
which grows with the distance from the training data.
"""

from __future__ import annotations

import warnings
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from sklearn.utils.validation import check_array, check_is_fitted

from cluster_marts.algorithms.base import ClusterEstimator, FitState, Rules
from cluster_marts.algorithms.constraints import Instance, check_params, param_constraints
from cluster_marts.algorithms.kmeans import KMeansClusterer
from cluster_marts.errors import InputDataError

__all__ = ["AutoencoderEmbedding", "AutoencoderKMeansClusterer", "encode"]

_NETWORK_RULES = param_constraints("neural", "encoding_dim", "hidden_units", "epochs", "batch_size", "random_state")


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


class AutoencoderEmbedding(TransformerMixin, BaseEstimator):
    """The autoencoder: ``fit`` trains it on scaled ``X``, ``transform`` embeds rows.

    Parameters
    ----------
    encoding_dim : int, default=3
        Capped at ``n_features``.
    hidden_units : int, default=16
    epochs : int, default=200
        ``max_iter`` of the MLP (adam: epochs).
    batch_size : int, default=64
        Capped at ``n_samples``.
    random_state : int or None, default=0

    Attributes
    ----------
    model_ : MLPRegressor
    encoding_dim_ : int
        Effective bottleneck width (after the cap at n_features).
    reconstruction_error_ : float
        Mean squared error of the reconstruction of the training rows, over rows and features.
    converged_ : bool
        False when the optimiser hit ``epochs`` without meeting its tolerance.
    n_iter_ : int
        Epochs run.
    n_features_in_ : int
    """

    def __init__(self, *, encoding_dim: int = 3, hidden_units: int = 16, epochs: int = 200, batch_size: int = 64,
                 random_state: int | None = 0):
        self.encoding_dim = encoding_dim
        self.hidden_units = hidden_units
        self.epochs = epochs
        self.batch_size = batch_size
        self.random_state = random_state

    def fit(self, X, y=None) -> AutoencoderEmbedding:
        """Train the network to reconstruct ``X``; returns self."""
        check_params("neural", self.get_params(), _NETWORK_RULES)
        X = check_array(X, dtype=np.float64)
        self.n_features_in_ = X.shape[1]
        dim = min(self.encoding_dim, X.shape[1])
        model = MLPRegressor(
            hidden_layer_sizes=(self.hidden_units, dim, self.hidden_units), activation="tanh", solver="adam",
            max_iter=self.epochs, batch_size=min(self.batch_size, X.shape[0]), random_state=self.random_state,
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
        self.model_ = model
        self.encoding_dim_ = dim
        self.converged_ = converged
        self.n_iter_ = int(model.n_iter_)
        self.reconstruction_error_ = float(np.mean((X - model.predict(X).reshape(X.shape)) ** 2))
        return self

    def transform(self, X) -> np.ndarray:
        """Embedding of the rows, shape (n_samples, encoding_dim_)."""
        return encode(self.model_, self._check(X))

    def reconstruction_errors(self, X) -> np.ndarray:
        """Mean squared reconstruction error of every row, over its features, shape (n_samples,)."""
        X = self._check(X)
        return np.mean((X - self.model_.predict(X).reshape(X.shape)) ** 2, axis=1)

    def _check(self, X) -> np.ndarray:
        check_is_fitted(self, "model_")
        X = check_array(X, dtype=np.float64)
        if X.shape[1] != self.n_features_in_:
            raise InputDataError(f"neural: X has {X.shape[1]} features but the autoencoder was trained on "
                                 f"{self.n_features_in_}")
        return X


class AutoencoderKMeansClusterer(ClusterEstimator):
    """k-means on the autoencoder embedding (registry name ``neural``).

    Parameters
    ----------
    n_clusters : int, default=8
    encoding_dim, hidden_units, epochs, batch_size : int
        The network (:class:`AutoencoderEmbedding`); defaults 3, 16, 200, 64.
    n_init : int, default=10
        k-means restarts.
    random_state : int or None, default=0
        Seeds the network and the k-means.
    autoencoder : AutoencoderEmbedding or None, default=None
        A fitted autoencoder to use as is (not retrained; the network
        parameters above are then unused), so a k grid trains it once.
        None trains one in ``fit``.  ``sklearn.base.clone`` copies it unfitted:
        pass the fitted one to each new estimator instead.

    Attributes
    ----------
    See :mod:`cluster_marts.algorithms.base`.  ``cluster_centers_``,
    ``inertia_`` and ``radius_`` are in the embedding space; ``n_iter_`` and
    ``converged_`` are the network's training (``converged_`` also requires
    the k-means to converge); ``metrics_`` holds ``reconstruction_error`` and
    ``encoding_dim``.  See the module docstring on anomalies.
    autoencoder_ : AutoencoderEmbedding
        The network used (trained here, or the one passed).
    """

    algorithm = "neural"
    _param_rules: ClassVar[Rules] = {**param_constraints("neural", "n_clusters", "n_init"), **_NETWORK_RULES,
                                     "autoencoder": [Instance(AutoencoderEmbedding), None]}

    def __init__(self, n_clusters: int = 8, *, encoding_dim: int = 3, hidden_units: int = 16, epochs: int = 200,
                 batch_size: int = 64, n_init: int = 10, random_state: int | None = 0,
                 autoencoder: AutoencoderEmbedding | None = None):
        self.n_clusters = n_clusters
        self.encoding_dim = encoding_dim
        self.hidden_units = hidden_units
        self.epochs = epochs
        self.batch_size = batch_size
        self.n_init = n_init
        self.random_state = random_state
        self.autoencoder = autoencoder

    def _fit(self, X: np.ndarray) -> FitState:
        if self.autoencoder is None:
            ae = AutoencoderEmbedding(encoding_dim=self.encoding_dim, hidden_units=self.hidden_units,
                                      epochs=self.epochs, batch_size=self.batch_size,
                                      random_state=self.random_state).fit(X)
        else:
            ae = self.autoencoder
        self.autoencoder_ = ae
        Z = ae.transform(X)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # reported once, by this estimator
            km = KMeansClusterer(self.n_clusters, n_init=self.n_init, random_state=self.random_state).fit(Z)
        metrics = {"reconstruction_error": ae.reconstruction_error_, "encoding_dim": ae.encoding_dim_}
        return FitState(km.labels_, km.cluster_centers_, n_iter=ae.n_iter_, converged=ae.converged_ and km.converged_,
                        metrics=metrics, space=Z)

    def _embed(self, X: np.ndarray) -> np.ndarray:
        return self.autoencoder_.transform(X)
