"""Preprocessing of a workbench run: check, scale, filter, draw the fit sample, reduce, flag outliers.

Order (as in the engine, see ``docs/conventions.md``): rows sorted by id →
scale every feature (:mod:`cluster_marts.preprocessing.scaling`) → drop features whose raw
variance is below ``min_variance`` → the fit sample → optional PCA / t-SNE / UMAP → fit.  Outliers are
flagged on the scaled, filtered features and never dropped.

The fit sample (:func:`~cluster_marts.preprocessing.sampling.fit_sample` of
the scaled, filtered features, ``fit_sample_size`` rows, seeded, stratified by
outlyingness; every row when the table is not larger) is what the k search,
the algorithm comparison and the fit see.  On a sampled table the isolation
forest is fitted on the sample and scores every row, and t-SNE (which cannot
embed new rows) embeds the sample; every other row is placed at the mean
embedding of its :data:`TSNE_NEIGHBOURS` nearest sample rows (in the scaled
features).  UMAP (the ``umap`` extra, umap-learn, seeded with the spec's
``random_state``) is fitted on the sample too and places every other row with
its own ``transform``.  PCA is fitted on every row.  Unsampled tables are
prepared exactly as without sampling.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.manifold import TSNE
from sklearn.neighbors import NearestNeighbors

from cluster_marts.config.spec import Spec
from cluster_marts.errors import InputDataError, preview
from cluster_marts.preprocessing.sampling import fit_sample
from cluster_marts.preprocessing.scaling import ScalerParams, fit_scaler, transform

__all__ = ["Prepared", "prepare", "TSNE_NEIGHBOURS", "UMAP_NEIGHBOURS"]

#: sample rows whose mean t-SNE embedding places a row outside the fit sample
TSNE_NEIGHBOURS = 5
#: UMAP's neighbourhood size (umap-learn's default), capped below the rows it embeds
UMAP_NEIGHBOURS = 15


@dataclass(frozen=True, eq=False)
class Prepared:
    """Data of one run, every array in id order.

    Attributes
    ----------
    ids : ndarray of str
    raw : ndarray of shape (n_samples, n_features)
        Spec features, unscaled.
    scaled : ndarray of shape (n_samples, n_features)
        Every spec feature, scaled.
    used : tuple of str
        Features kept by the variance filter.
    X : ndarray of shape (n_samples, n_dims)
        The matrix the algorithms see (scaled used features, maybe reduced).
    target : ndarray or None
    scaler : ScalerParams
    outlier_flags : ndarray of bool
    outlier_scores : ndarray of float64
        Higher = more anomalous; NaN when outlier detection is off.
    sample : ndarray of int64
        Sorted rows of the fit sample (every row when the table is not
        larger than ``fit_sample_size``).
    """

    ids: np.ndarray
    raw: np.ndarray
    scaled: np.ndarray
    used: tuple[str, ...]
    X: np.ndarray
    target: np.ndarray | None
    scaler: ScalerParams
    outlier_flags: np.ndarray
    outlier_scores: np.ndarray
    sample: np.ndarray

    @property
    def sampled(self) -> bool:
        """True when the fits see a sample, not every row."""
        return self.sample.size < self.X.shape[0]

    @property
    def X_fit(self) -> np.ndarray:
        """The rows of ``X`` the fits see."""
        return self.X[self.sample] if self.sampled else self.X


def _check(spec: Spec, frame: pd.DataFrame) -> pd.DataFrame:
    where = f"spec {spec.file}"
    needed = [spec.id_column, *spec.features] + ([spec.target] if spec.target else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputDataError(f"{where}: columns {preview(missing)} are missing from the source; "
                             f"it has {preview(frame.columns, 20)}")
    ids = frame[spec.id_column]
    if ids.isna().any() or ids.duplicated().any():
        raise InputDataError(f"{where}: id_column {spec.id_column!r} must be unique and non-null")
    for column in spec.features:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any() or not np.isfinite(values.to_numpy(dtype=np.float64)).all():
            raise InputDataError(f"{where}: feature {column!r} has missing or non-numeric values; "
                                 "clean the source or drop the feature")
    if len(frame) < 10:
        raise InputDataError(f"{where}: only {len(frame)} rows; the workbench needs at least 10")
    return frame.sort_values(spec.id_column, kind="stable").reset_index(drop=True)


def _tsne(X: np.ndarray, spec: Spec, sample: np.ndarray) -> np.ndarray:
    """t-SNE of the sample rows; the other rows at the mean embedding of their nearest sample rows."""
    red = spec.preprocessing.reduction
    fit_rows = X[sample] if sample.size < X.shape[0] else X
    perplexity = float(min(30.0, max(2.0, (fit_rows.shape[0] - 1) / 3.0)))
    tsne = TSNE(red.n_components, perplexity=perplexity, init="pca", random_state=spec.random_state)
    embedded = tsne.fit_transform(fit_rows)
    if sample.size == X.shape[0]:
        return embedded
    out = np.empty((X.shape[0], embedded.shape[1]))
    out[sample] = embedded
    rest = np.setdiff1d(np.arange(X.shape[0]), sample, assume_unique=True)
    neighbours = NearestNeighbors(n_neighbors=min(TSNE_NEIGHBOURS, sample.size)).fit(fit_rows)
    out[rest] = embedded[neighbours.kneighbors(X[rest], return_distance=False)].mean(axis=1)
    return out


def _umap(X: np.ndarray, spec: Spec, sample: np.ndarray) -> np.ndarray:
    """UMAP fitted on the sample rows (seeded); the other rows placed by its ``transform``."""
    import umap  # the umap extra: parse_spec refuses a umap spec without it; imported here, as it is slow to load

    red = spec.preprocessing.reduction
    sampled = sample.size < X.shape[0]
    fit_rows = X[sample] if sampled else X
    model = umap.UMAP(n_components=red.n_components, n_neighbors=int(min(UMAP_NEIGHBOURS, fit_rows.shape[0] - 1)),
                      random_state=spec.random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "n_jobs overridden to 1 by setting random_state": seeded runs are serial
        embedded = model.fit_transform(fit_rows)
        if not sampled:
            return np.asarray(embedded, dtype=np.float64)
        out = np.empty((X.shape[0], red.n_components))
        out[sample] = embedded
        rest = np.setdiff1d(np.arange(X.shape[0]), sample, assume_unique=True)
        out[rest] = model.transform(X[rest])
    return out


def _reduce(X: np.ndarray, spec: Spec, sample: np.ndarray) -> np.ndarray:
    red = spec.preprocessing.reduction
    if red.method == "none":
        return X
    if red.method == "pca":
        n_comp = min(red.n_components, X.shape[1], X.shape[0] - 1)
        return PCA(n_comp, random_state=spec.random_state).fit_transform(X)
    if red.method == "umap":
        return _umap(X, spec, sample)
    return _tsne(X, spec, sample)


def _outliers(X: np.ndarray, spec: Spec, sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    cfg = spec.preprocessing.outliers
    n = X.shape[0]
    if cfg.method == "none":
        return np.zeros(n, dtype=bool), np.full(n, np.nan)
    if cfg.method == "isolation_forest":
        fit_rows = X[sample] if sample.size < n else X
        forest = IsolationForest(contamination=cfg.contamination, random_state=spec.random_state).fit(fit_rows)
        scores = -forest.score_samples(X)
        return -scores < forest.offset_, scores
    sd = X.std(axis=0)
    z = np.abs(X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    score = z.max(axis=1) if z.shape[1] else np.zeros(n)
    return score > cfg.z, score


def prepare(spec: Spec, frame: pd.DataFrame) -> Prepared:
    """Check and preprocess the source rows of a spec.

    Parameters
    ----------
    spec : Spec
    frame : DataFrame
        Must hold ``id_column``, the features and the target (if any).

    Returns
    -------
    Prepared

    Raises
    ------
    InputDataError
        Missing columns, duplicate/null ids, non-numeric features, fewer than
        10 rows, or every feature removed by the variance filter.
    """
    frame = _check(spec, frame)
    raw = frame[list(spec.features)].apply(pd.to_numeric).to_numpy(dtype=np.float64)
    scaler = fit_scaler(raw, spec.preprocessing.scaling, spec.features)
    scaled = transform(raw, scaler)
    keep = raw.var(axis=0) >= spec.preprocessing.min_variance
    if not keep.any():
        raise InputDataError(f"spec {spec.file}: preprocessing.feature_selection.min_variance="
                             f"{spec.preprocessing.min_variance} removes every feature; lower it")
    used = tuple(f for f, k in zip(spec.features, keep) if k)
    kept = scaled[:, keep]
    sample = fit_sample(kept, spec.fit_sample_size, spec.random_state)
    flags, scores = _outliers(kept, spec, sample)
    target = frame[spec.target].to_numpy() if spec.target else None
    return Prepared(
        ids=frame[spec.id_column].astype(str).to_numpy(), raw=raw, scaled=scaled, used=used,
        X=_reduce(kept, spec, sample), target=target, scaler=scaler,
        outlier_flags=flags, outlier_scores=np.asarray(scores, dtype=np.float64), sample=sample,
    )
