"""Preprocessing between scaling and clustering, configured in ``config.meta``.

Applied identically by every pipeline entry point, after scaling:

1. ``min_variance``: drop features whose *raw* (unscaled) variance, ``ddof=0``,
   is below the threshold (a near-constant column only adds noise once
   standard scaling blows it up).  ``0.0`` keeps every feature.  With
   ``clip_quantile`` on, "raw" means clipped but unscaled: the values the
   scaler was fitted on.
2. ``pca_components``: project the scaled, kept features onto that many
   principal components (:class:`sklearn.decomposition.PCA`,
   ``svd_solver="full"``, signs fixed by sklearn's ``svd_flip``, so the
   projection is deterministic).  ``None`` clusters on the kept features.

With both off the step is the identity and the engine behaves as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import PCA

from cluster_marts.config.cluster import ClusterSettings
from cluster_marts.errors import InputDataError

__all__ = ["Preprocessing", "fit_preprocessing", "apply_preprocessing"]


@dataclass(frozen=True, eq=False)
class Preprocessing:
    """A fitted preprocessing step.

    Attributes
    ----------
    features : tuple of str
        The configured features, in order.
    used : ndarray of shape (n_features,), dtype bool
        Which features enter the clustering.
    variances : ndarray of shape (n_features,)
        Raw variance (``ddof=0``) of every feature.
    pca : PCA or None
        Fitted on the scaled, kept features; ``None`` when PCA is off.
    """

    features: tuple[str, ...]
    used: np.ndarray
    variances: np.ndarray
    pca: PCA | None = None

    @property
    def kept_features(self) -> tuple[str, ...]:
        """Features that enter the clustering, in configured order."""
        return tuple(f for f, keep in zip(self.features, self.used) if keep)

    @property
    def dropped_features(self) -> tuple[str, ...]:
        """Features dropped by ``min_variance``."""
        return tuple(f for f, keep in zip(self.features, self.used) if not keep)

    @property
    def n_components(self) -> int:
        """Dimension of the clustering space (PCA components, else kept features)."""
        return int(self.pca.n_components_) if self.pca is not None else int(self.used.sum())

    @property
    def is_identity(self) -> bool:
        """True when every feature is kept and PCA is off."""
        return self.pca is None and bool(self.used.all())


def _kept_mask(variances: np.ndarray, settings: ClusterSettings, model: str) -> np.ndarray:
    used = ~(variances < settings.min_variance)
    if not used.any():
        top = int(np.argmax(variances))
        raise InputDataError(
            f"model {model}: min_variance={settings.min_variance} would drop every feature "
            f"(largest raw variance {variances[top]:.6g}, for {settings.features[top]!r}); "
            "lower min_variance in config.meta or check the feature columns upstream"
        )
    return used


def _fit_pca(Xs_kept: np.ndarray, settings: ClusterSettings, dropped: list[str], model: str) -> PCA:
    n_samples, n_kept = Xs_kept.shape
    wanted = settings.pca_components
    if wanted > n_kept:
        why = f" after min_variance={settings.min_variance} dropped {', '.join(dropped)}" if dropped else ""
        raise InputDataError(
            f"model {model}: pca_components={wanted} exceeds the {n_kept} feature(s) kept{why}; "
            "lower pca_components (or min_variance) in config.meta"
        )
    if wanted > n_samples:
        raise InputDataError(
            f"model {model}: pca_components={wanted} exceeds the {n_samples} input row(s); "
            "lower pca_components in config.meta or add data"
        )
    return PCA(n_components=wanted, svd_solver="full", random_state=settings.random_state).fit(Xs_kept)


def fit_preprocessing(
    X: np.ndarray, Xs: np.ndarray, settings: ClusterSettings, *, model: str = "(unnamed)"
) -> Preprocessing:
    """Decide which features to keep and fit the optional PCA.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Raw features, clipped when ``clip_quantile`` is on (variances are taken here).
    Xs : ndarray of shape (n_samples, n_features)
        The same rows scaled (PCA is fitted here).
    settings : ClusterSettings
        Uses ``features``, ``min_variance``, ``pca_components``, ``random_state``.
    model : str, default="(unnamed)"
        dbt model name for error messages.

    Returns
    -------
    Preprocessing
        With no rows, the identity (the caller reports the empty input).

    Raises
    ------
    InputDataError
        ``min_variance`` would drop every feature; ``pca_components`` exceeds
        the kept features or the rows.

    Examples
    --------
    >>> from cluster_marts.config.cluster import ClusterSettings
    >>> s = ClusterSettings(id_column="id", features=("a", "b"), min_variance=0.01)
    >>> X = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 1.001]])
    >>> fit_preprocessing(X, X, s).dropped_features
    ('b',)
    """
    X = np.asarray(X, dtype=np.float64)
    n_features = len(settings.features)
    if X.shape[0] == 0:
        return Preprocessing(settings.features, np.ones(n_features, dtype=bool), np.zeros(n_features))
    variances = X.var(axis=0, ddof=0)
    used = _kept_mask(variances, settings, model)
    pca = None
    if settings.pca_components is not None:
        dropped = [f for f, keep in zip(settings.features, used) if not keep]
        pca = _fit_pca(np.asarray(Xs, dtype=np.float64)[:, used], settings, dropped, model)
    return Preprocessing(settings.features, used, variances, pca)


def apply_preprocessing(Xs: np.ndarray, pre: Preprocessing) -> np.ndarray:
    """Matrix the algorithm sees: kept scaled features, projected when PCA is on.

    Parameters
    ----------
    Xs : ndarray of shape (n_samples, n_features)
        Scaled features, all configured columns.
    pre : Preprocessing

    Returns
    -------
    ndarray of shape (n_samples, pre.n_components)
        ``Xs`` itself for the identity step, so results without
        preprocessing stay bit-for-bit what they were.
    """
    if pre.is_identity:
        return Xs
    Z = np.asarray(Xs, dtype=np.float64)[:, pre.used]
    return pre.pca.transform(Z) if pre.pca is not None else Z
