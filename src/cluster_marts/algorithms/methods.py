"""Registry of segmentation methods behind one interface.

A method has two steps:

* ``prepare(Xs, settings) -> Space``: the clustering space, built once per
  axis (the scaled features for ``fcm`` and ``gmm``; the autoencoder
  embedding for ``neural``, so the network is trained once, not once per k);
* ``fit(space, k, settings) -> SoftFit``: memberships, centres and metrics at k.

Adding a method is adding an entry to :data:`METHODS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from cluster_marts.algorithms.fcm import fit_fcm, partition_coefficient, partition_entropy
from cluster_marts.algorithms.gmm import fit_gmm, uncertainty
from cluster_marts.algorithms.autoencoder import fit_embedding_kmeans, train_autoencoder

if TYPE_CHECKING:
    from cluster_marts.config.segmentation import SegmentationSettings

__all__ = ["Space", "SoftFit", "Method", "METHODS", "METHOD_NAMES", "center_distances"]


@dataclass(eq=False)
class Space:
    """Clustering space of one axis for one method, plus fit-independent metrics."""

    Z: np.ndarray
    metrics: dict[str, Any] = field(default_factory=dict)
    converged: bool = True
    n_iter: int = 0


@dataclass(eq=False)
class SoftFit:
    """One fit at one k.

    Attributes
    ----------
    memberships : ndarray of shape (n_samples, k)
        Rows sum to 1 (one-hot for hard methods).
    centers : ndarray of shape (k, n_dims)
        Centres in the clustering space.
    distances : ndarray of shape (n_samples, k)
        Euclidean distance of every row to every centre, clustering space.
    metrics : dict
        Method-specific metrics (``partition_coefficient``, ``bic``, ...).
    converged : bool
    n_iter : int
    hard : bool
        True when memberships are one-hot by construction.
    """

    memberships: np.ndarray
    centers: np.ndarray
    distances: np.ndarray
    metrics: dict[str, Any]
    converged: bool
    n_iter: int
    hard: bool = False


@dataclass(frozen=True)
class Method:
    """A registered method: ``prepare`` once per axis, ``fit`` once per k."""

    prepare: Callable[[np.ndarray, SegmentationSettings], Space]
    fit: Callable[[Space, int, SegmentationSettings], SoftFit]


def center_distances(Z: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Euclidean distances, shape (n_samples, k)."""
    return np.linalg.norm(Z[:, None, :] - centers[None, :, :], axis=2)


def _identity_space(Xs: np.ndarray, s: SegmentationSettings) -> Space:
    return Space(np.asarray(Xs, dtype=np.float64))


def _fit_fcm(space: Space, k: int, s: SegmentationSettings) -> SoftFit:
    p = s.fcm
    r = fit_fcm(space.Z, k, m=p.m, max_iter=p.max_iter, tol=p.tol, n_init=p.n_init, random_state=s.random_state)
    metrics = {"partition_coefficient": partition_coefficient(r.u), "partition_entropy": partition_entropy(r.u)}
    return SoftFit(r.u, r.centers, center_distances(space.Z, r.centers), metrics, r.converged, r.n_iter)


def _fit_gmm(space: Space, k: int, s: SegmentationSettings) -> SoftFit:
    p = s.gmm
    r = fit_gmm(
        space.Z, k, covariance_type=p.covariance_type, max_iter=p.max_iter, n_init=p.n_init,
        random_state=s.random_state,
    )
    metrics = {"bic": r.bic, "aic": r.aic, "log_likelihood": r.log_likelihood}
    metrics.update(uncertainty(r.proba, high_confidence=s.high_confidence, low_confidence=s.low_confidence))
    return SoftFit(r.proba, r.means, center_distances(space.Z, r.means), metrics, r.converged, r.n_iter)


def _neural_space(Xs: np.ndarray, s: SegmentationSettings) -> Space:
    p = s.neural
    ae = train_autoencoder(
        Xs, encoding_dim=p.encoding_dim, hidden_units=p.hidden_units, epochs=p.epochs, batch_size=p.batch_size,
        random_state=s.random_state,
    )
    metrics = {"reconstruction_error": ae.reconstruction_error, "encoding_dim": ae.encoding_dim}
    return Space(ae.embedding, metrics, ae.converged, ae.n_iter)


def _fit_neural(space: Space, k: int, s: SegmentationSettings) -> SoftFit:
    r = fit_embedding_kmeans(space.Z, k, random_state=s.random_state)
    memberships = np.zeros((space.Z.shape[0], k))
    memberships[np.arange(space.Z.shape[0]), r.labels] = 1.0
    return SoftFit(memberships, r.centers, r.distances, dict(space.metrics), space.converged, space.n_iter, hard=True)


METHODS: dict[str, Method] = {
    "fcm": Method(_identity_space, _fit_fcm),
    "gmm": Method(_identity_space, _fit_gmm),
    "neural": Method(_neural_space, _fit_neural),
}
METHOD_NAMES = tuple(sorted(METHODS))
