"""The customer segmentation methods (``fcm``, ``gmm``, ``neural``) on the estimator registry.

A method is a registry estimator (:func:`~cluster_marts.algorithms.registry.make_estimator`)
whose parameters come from the method's settings block:

* :func:`axis_params` runs once per axis: the settings block as estimator
  parameters and, for ``neural``, the autoencoder trained on the axis (it
  does not depend on k, so a k grid trains it once);
* :func:`fit_method` fits one k with them;
* :func:`method_metrics` adds the settings-dependent metrics (GMM
  uncertainty at ``high_confidence`` / ``low_confidence``) to ``metrics_``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cluster_marts.algorithms.autoencoder import AutoencoderEmbedding
from cluster_marts.algorithms.base import ClusterEstimator
from cluster_marts.algorithms.gmm import uncertainty
from cluster_marts.algorithms.registry import fit_estimator
from cluster_marts.config.algorithm_params import METHOD_NAMES

if TYPE_CHECKING:
    from cluster_marts.config.segmentation import SegmentationSettings

__all__ = ["METHOD_NAMES", "axis_params", "fit_method", "method_metrics"]



def axis_params(method: str, Xs: np.ndarray, s: SegmentationSettings) -> dict[str, Any]:
    """Estimator parameters of ``method`` for one axis (trains the ``neural`` autoencoder once).

    Parameters
    ----------
    method : {"fcm", "gmm", "neural"}
    Xs : ndarray of shape (n_samples, n_features)
        Scaled axis features.
    s : SegmentationSettings

    Returns
    -------
    dict
        Keyword arguments of :func:`fit_method`.
    """
    if method == "fcm":
        return {"m": s.fcm.m, "max_iter": s.fcm.max_iter, "tol": s.fcm.tol, "n_init": s.fcm.n_init}
    if method == "gmm":
        return {"covariance_type": s.gmm.covariance_type, "max_iter": s.gmm.max_iter, "n_init": s.gmm.n_init}
    p = s.neural
    autoencoder = AutoencoderEmbedding(encoding_dim=p.encoding_dim, hidden_units=p.hidden_units, epochs=p.epochs,
                                       batch_size=p.batch_size, random_state=s.random_state).fit(Xs)
    return {"autoencoder": autoencoder}


def fit_method(method: str, Xs: np.ndarray, k: int, params: dict[str, Any], s: SegmentationSettings
               ) -> ClusterEstimator:
    """Fit ``method`` at ``k`` on the scaled axis features with :func:`axis_params`'s parameters."""
    return fit_estimator(method, Xs, k, random_state=s.random_state, **params)


def method_metrics(est: ClusterEstimator, s: SegmentationSettings, memberships: np.ndarray | None = None
                   ) -> dict[str, Any]:
    """``est.metrics_`` plus, for gmm, the posterior uncertainty summaries of ``memberships`` (default the fit's)."""
    metrics = dict(est.metrics_)
    if est.algorithm == "gmm":
        memberships = est.memberships_ if memberships is None else memberships
        metrics.update(uncertainty(memberships, high_confidence=s.high_confidence,
                                   low_confidence=s.low_confidence))
    return metrics
