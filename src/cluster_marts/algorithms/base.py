"""Base class of every clustering estimator: one fitted state, one way to score new rows.

Estimators follow scikit-learn: the constructor only stores parameters,
``fit(X)`` validates them (:mod:`~cluster_marts.algorithms.constraints`),
fits and returns ``self``; fitted state ends in ``_``.  ``X`` is the
clustering input (scaled, finite); the estimators do not scale.

Fitted state of every estimator
-------------------------------
labels_ : ndarray of shape (n_samples,), int64
    Cluster of each training row, ``0..n_clusters_-1``; -1 is noise (density
    methods only).
cluster_centers_ : ndarray of shape (n_clusters_, n_dims)
    The method's centres (k-means centroids, GMM means, FCM centres); the
    members' means for methods without centres (agglomerative, spectral,
    density).  In the clustering space, which is ``X`` itself except for the
    autoencoder method (its embedding).  NaN row for a cluster with no member.
memberships_ : ndarray of shape (n_samples, n_clusters_)
    Rows sum to 1: GMM posteriors, FCM memberships, one-hot for hard methods
    (a noise row is all zeros).
inertia_ : float
    Sum over the clustered rows of the squared distance to their own centre.
radius_ : ndarray of shape (n_clusters_,)
    RMS distance of each cluster's training members to its centre (NaN when empty).
n_clusters_ : int
    Number of centres (``n_clusters``, or the clusters a density method found).
n_iter_ : int
    Iterations of the kept run (0 for methods that do not iterate).
converged_ : bool
metrics_ : dict
    Method-specific fit metrics (``bic``, ``aic``, ``log_likelihood`` for
    gmm; ``partition_coefficient``, ``partition_entropy``, ``objective`` for
    fcm; ``reconstruction_error``, ``encoding_dim`` for the autoencoder).
n_features_in_ : int

Scoring new rows
----------------
``transform(X)`` gives the distances to every centre; ``predict(X)`` the
nearest centre unless the method has a better rule (GMM: largest posterior;
density methods: see :mod:`~cluster_marts.algorithms.density`);
``predict_memberships(X)`` the method's memberships (one-hot by default);
``row_scores(X, labels=None)`` distance, normalised distance, margin and
runner-up (:func:`~cluster_marts.algorithms.scores.row_scores`).  For the
methods that only label their training rows (agglomerative, spectral,
density) ``predict`` is an approximation, documented with each method.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_array, check_is_fitted

from cluster_marts.algorithms.constraints import Constraint, check_params
from cluster_marts.algorithms.scores import RowScores, center_distances, member_means, one_hot, row_scores
from cluster_marts.errors import InputDataError

__all__ = ["ClusterEstimator", "FitState", "Rules"]

Rules = Mapping[str, Sequence[Constraint]]


@dataclass(eq=False)
class FitState:
    """What a method's ``_fit`` computed; :meth:`ClusterEstimator.fit` derives the rest.

    ``space`` is the training rows in the clustering space (None: ``X``);
    ``centers`` None means member means; ``memberships`` None means one-hot.
    """

    labels: np.ndarray
    centers: np.ndarray | None = None
    memberships: np.ndarray | None = None
    n_iter: int = 0
    converged: bool = True
    metrics: dict[str, Any] = field(default_factory=dict)
    space: np.ndarray | None = None


class ClusterEstimator(ClusterMixin, BaseEstimator):
    """Base of the estimators of :data:`~cluster_marts.algorithms.registry.ALGORITHMS`; see the module docstring.

    Subclasses set :attr:`algorithm` (the registry name), :attr:`_param_rules`
    (built by :func:`~cluster_marts.algorithms.constraints.param_constraints`
    from the one parameter table) and implement ``_fit(X) -> FitState``; they may override ``_embed``
    (clustering space of new rows), ``predict`` and ``predict_memberships``.
    """

    algorithm: ClassVar[str] = ""
    soft: ClassVar[bool] = False  # memberships_ are probabilities or fuzzy memberships, not one-hot
    density: ClassVar[bool] = False  # finds the number of clusters itself; labels -1 for noise
    _param_rules: ClassVar[Rules] = {}

    # -- fitting -----------------------------------------------------------------------------

    def _check_params(self) -> None:
        check_params(self.algorithm, self.get_params(deep=False), self._param_rules)

    def _check_input(self, X: Any, *, reset: bool) -> np.ndarray:
        X = check_array(X, dtype=np.float64, ensure_min_samples=1)
        if reset:
            self.n_features_in_ = X.shape[1]
        elif X.shape[1] != self.n_features_in_:
            raise InputDataError(
                f"{self.algorithm}: X has {X.shape[1]} features but the estimator was fitted with "
                f"{self.n_features_in_}; score rows with the columns the fit used"
            )
        return X

    def fit(self, X: Any, y: Any = None) -> ClusterEstimator:
        """Fit on ``X`` (n_samples, n_features), scaled and finite; ``y`` is ignored.

        Returns
        -------
        self

        Raises
        ------
        SettingsError
            A parameter outside its allowed values.
        InputDataError
            Fewer rows than ``n_clusters``.
        """
        self._check_params()
        X = self._check_input(X, reset=True)
        k = getattr(self, "n_clusters", None)
        if k is not None and X.shape[0] < k:
            raise InputDataError(f"{self.algorithm}: n_samples={X.shape[0]} should be >= k={k} (n_clusters).")
        state = self._fit(X)
        self._set_state(X if state.space is None else state.space, state)
        return self

    def _fit(self, X: np.ndarray) -> FitState:  # pragma: no cover - abstract
        raise NotImplementedError

    def _set_state(self, Z: np.ndarray, state: FitState) -> None:
        labels = np.asarray(state.labels, dtype=np.int64)
        if state.centers is not None:
            centers = np.asarray(state.centers, dtype=np.float64)
        else:
            k = self.n_clusters if not self.density else int(labels.max()) + 1 if labels.size else 0
            centers = member_means(Z, labels, k)
        k = centers.shape[0]
        clustered = labels >= 0
        sq = np.zeros(labels.size)
        sq[clustered] = ((Z[clustered] - centers[labels[clustered]]) ** 2).sum(axis=1)
        counts = np.bincount(labels[clustered], minlength=k)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.radius_ = np.sqrt(np.bincount(labels[clustered], weights=sq[clustered], minlength=k) / counts)
        self.labels_ = labels
        self.cluster_centers_ = centers
        self.memberships_ = one_hot(labels, k) if state.memberships is None else np.asarray(state.memberships)
        self.inertia_ = float(sq.sum())
        self.n_clusters_ = int(k)
        self.n_iter_ = int(state.n_iter)
        self.converged_ = bool(state.converged)
        self.metrics_ = dict(state.metrics)
        n_found = int(np.count_nonzero(counts))
        if not self.density and not self.soft and n_found < k:
            warnings.warn(
                f"{self.algorithm} found {n_found} distinct clusters for k={k}; some clusters are empty.",
                ConvergenceWarning, stacklevel=3,
            )

    # -- scoring new rows --------------------------------------------------------------------

    def _embed(self, X: np.ndarray) -> np.ndarray:
        """Rows in the clustering space (``X`` itself except for the autoencoder method)."""
        return X

    def transform(self, X: Any) -> np.ndarray:
        """Euclidean distance of every row to every centre, in the clustering space.

        Returns
        -------
        ndarray of shape (n_samples, n_clusters_)
            NaN column for an empty cluster's centre.
        """
        check_is_fitted(self, "cluster_centers_")
        return center_distances(self._embed(self._check_input(X, reset=False)), self.cluster_centers_)

    def predict(self, X: Any) -> np.ndarray:
        """Nearest centre of each row (int64); methods with another rule override this."""
        d = self.transform(X)
        if d.shape[1] == 0:
            return np.full(d.shape[0], -1, dtype=np.int64)
        return np.where(np.isnan(d), np.inf, d).argmin(axis=1).astype(np.int64)

    def predict_memberships(self, X: Any) -> np.ndarray:
        """Memberships of new rows, shape (n_samples, n_clusters_): one-hot on :meth:`predict` by default."""
        return one_hot(self.predict(X), self.n_clusters_)

    def row_scores(self, X: Any, labels: np.ndarray | None = None) -> RowScores:
        """Distance, normalised distance, margin and runner-up of every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        labels : ndarray of shape (n_samples,), optional
            Own cluster of each row; default :meth:`predict` (pass ``labels_``
            for the training rows).

        Returns
        -------
        RowScores
            See :func:`~cluster_marts.algorithms.scores.row_scores`.
        """
        d = self.transform(X)
        own = self.predict(X) if labels is None else np.asarray(labels, dtype=np.int64)
        return row_scores(d, own, self.radius_)
