"""Validation of clusters and of input data.

Cluster quality that scales: silhouette costs O(n_samples**2), so above
``sample_size`` rows it is computed on a seeded sample and the variant used is
reported.  Input checks (like :mod:`sklearn.utils.validation`) turn bad rows
into :class:`~cluster_marts.errors.InputDataError` naming model, column and fix.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.metrics import pairwise_distances_chunked, silhouette_samples, silhouette_score
from sklearn.utils import check_random_state

from cluster_marts.errors import InputDataError, preview
from cluster_marts.settings import ClusterSettings

__all__ = [
    "silhouette",
    "per_sample_silhouette",
    "distances_to_centers",
    "n_labels_ok",
    "check_frame",
    "feature_matrix",
]


def n_labels_ok(labels: np.ndarray) -> bool:
    """True when silhouette/CH/DB are defined: ``2 <= n_labels <= n_samples - 1``."""
    labels = np.asarray(labels)
    return 2 <= np.unique(labels).size <= labels.size - 1


def silhouette(X: np.ndarray, labels: np.ndarray, *, sample_size: int, random_state: int) -> tuple[float, str]:
    """Mean silhouette, on a seeded sample of rows when there are many.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)
    sample_size : int
        Use all rows when ``n_samples <= sample_size``, else this many rows
        drawn with ``random_state`` (same rows for every k).
    random_state : int

    Returns
    -------
    score : float
        NaN when undefined.
    method : str
        ``"full"``, ``f"sampled_{sample_size}"`` or ``"undefined"`` (fewer
        than 2 clusters, every row its own cluster, or a sample holding a
        single cluster).
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels)
    if not n_labels_ok(labels):
        return float("nan"), "undefined"
    if X.shape[0] <= sample_size:
        return float(silhouette_score(X, labels)), "full"
    rows = check_random_state(random_state).permutation(X.shape[0])[:sample_size]
    if not n_labels_ok(labels[rows]):
        return float("nan"), "undefined"
    score = silhouette_score(X, labels, sample_size=sample_size, random_state=random_state)
    return float(score), f"sampled_{sample_size}"


def _reference_rows(labels: np.ndarray, per_cluster: int, random_state: int) -> np.ndarray:
    """Up to ``per_cluster`` seeded rows from every cluster, sorted."""
    rng = check_random_state(random_state)
    picked = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if members.size > per_cluster:
            members = np.sort(rng.choice(members, size=per_cluster, replace=False))
        picked.append(members)
    return np.sort(np.concatenate(picked))


def _sampled_silhouette_samples(X: np.ndarray, labels: np.ndarray, sample_size: int, random_state: int) -> np.ndarray:
    """Silhouette of every row against a per-cluster reference sample.

    a(i) and b(i) are mean distances *within one cluster*, so estimating each
    cluster's mean from its own sample of ``ceil(sample_size / k)`` members is
    unbiased; when every cluster fits in its share the result is exact.
    """
    codes = np.unique(labels, return_inverse=True)[1].ravel()
    k = int(codes.max()) + 1
    ref = _reference_rows(codes, int(np.ceil(sample_size / k)), random_state)
    onehot = np.zeros((ref.size, k))
    onehot[np.arange(ref.size), codes[ref]] = 1.0
    sums = np.vstack(list(pairwise_distances_chunked(X, X[ref], reduce_func=lambda chunk, start: chunk @ onehot)))
    counts = np.tile(onehot.sum(axis=0), (X.shape[0], 1))
    rows = np.arange(X.shape[0])
    in_ref = np.isin(rows, ref)
    counts[rows[in_ref], codes[in_ref]] -= 1.0  # a row's distance to itself is 0; leave it out of a(i)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    own = means[rows, codes]
    means[rows, codes] = np.inf
    means[counts == 0] = np.inf
    nearest = means.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = (nearest - own) / np.maximum(own, nearest)
    scores[(counts[rows, codes] == 0) | ~np.isfinite(scores)] = 0.0  # singleton clusters score 0, as in sklearn
    return scores


def per_sample_silhouette(
    X: np.ndarray,
    labels: np.ndarray,
    *,
    sample_size: int | None = None,
    random_state: int = 0,
) -> np.ndarray:
    """Silhouette coefficient of every row.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)
    sample_size : int or None, default=None
        ``None`` or ``n_samples <= sample_size``: exact
        (:func:`sklearn.metrics.silhouette_samples`).  Otherwise each row is
        compared with a seeded reference sample of ``ceil(sample_size / k)``
        members per cluster, which costs O(n_samples * sample_size).
    random_state : int, default=0
        Seed of the reference sample.

    Returns
    -------
    ndarray of shape (n_samples,)
        Zeros when silhouette is undefined (fewer than 2 clusters, or every
        row its own cluster).
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels)
    if not n_labels_ok(labels):
        return np.zeros(labels.size)
    if sample_size is None or X.shape[0] <= sample_size:
        return np.asarray(silhouette_samples(X, labels), dtype=np.float64)
    return _sampled_silhouette_samples(X, labels, sample_size, random_state)


def distances_to_centers(X: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Euclidean distance of every row to the centre of its own cluster.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)
        Ids indexing the rows of ``centers``.
    centers : ndarray of shape (k, n_features)

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    X = np.asarray(X, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    return np.linalg.norm(X - centers[np.asarray(labels, dtype=np.int64)], axis=1)


# --- input checks (data against settings) ------------------------------------------------

_QUARANTINE = "quarantine these rows upstream or drop the feature from config.meta.features"


def check_frame(frame: pd.DataFrame, settings: ClusterSettings, model: str) -> pd.DataFrame:
    """Check the id column and the presence of feature columns.

    Parameters
    ----------
    frame : DataFrame
        One row per entity.
    settings : ClusterSettings
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    DataFrame
        ``frame`` with a fresh RangeIndex.

    Raises
    ------
    InputDataError
        Missing id or feature column (lists the available columns), null ids,
        duplicate ids (shows up to 5).
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputDataError(f"model {model}: expected a pandas DataFrame, got {type(frame).__name__}")
    available = preview(frame.columns, limit=50)
    if settings.id_column not in frame.columns:
        raise InputDataError(
            f"model {model}: id column {settings.id_column!r} (config.meta.id_column) is missing from the input; "
            f"available columns: {available}; fix id_column in config.meta or the upstream model"
        )
    missing = [f for f in settings.features if f not in frame.columns]
    if missing:
        raise InputDataError(
            f"model {model}: feature column(s) {', '.join(map(repr, missing))} (config.meta.features) missing "
            f"from the input; available columns: {available}; fix the feature list in config.meta or the upstream model"
        )
    frame = frame.reset_index(drop=True)
    ids = frame[settings.id_column]
    if ids.isna().any():
        raise InputDataError(
            f"model {model}: id column {settings.id_column!r} has {int(ids.isna().sum())} null value(s); "
            "quarantine rows without an id upstream"
        )
    dup = ids[ids.duplicated(keep=False)].unique()
    if dup.size:
        raise InputDataError(
            f"model {model}: id column {settings.id_column!r} has {dup.size} duplicated id(s), e.g. {preview(dup)}; "
            "deduplicate upstream so each entity has one row"
        )
    return frame


def _column_as_float(column: pd.Series, name: str, model: str) -> np.ndarray:
    dtype = column.dtype
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    if dtype == object:
        values = column.dropna()
        if all(isinstance(v, numbers.Number) and not isinstance(v, bool) for v in values):
            return np.array([np.nan if pd.isna(v) else float(v) for v in column], dtype=np.float64)
    raise InputDataError(
        f"model {model}: feature column {name!r} has non-numeric type {dtype}; cast it to a number in the "
        "upstream SQL or drop it from config.meta.features"
    )


def feature_matrix(frame: pd.DataFrame, settings: ClusterSettings, model: str) -> np.ndarray:
    """Feature columns as a finite float64 matrix, in ``settings.features`` order.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`check_frame`.
    settings : ClusterSettings
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    ndarray of shape (n_samples, n_features)

    Raises
    ------
    InputDataError
        Non-numeric feature column, or null/NaN/inf values (shows up to 5 ids).
    """
    ids = frame[settings.id_column]
    columns = []
    for name in settings.features:
        values = _column_as_float(frame[name], name, model)
        bad = ~np.isfinite(values)
        if bad.any():
            raise InputDataError(
                f"model {model}: feature column {name!r} has {int(bad.sum())} null/NaN/inf value(s), "
                f"e.g. for {settings.id_column} {preview(ids[bad])}; {_QUARANTINE}"
            )
        columns.append(values)
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))
