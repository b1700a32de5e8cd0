"""Tables that describe one fitted clustering: metrics, clusters, centres, importance, representatives.

Definitions (all distances Euclidean, in the prepared space ``X`` the
algorithm saw; noise rows never belong to a cluster):

* ``compactness``: mean distance of the members to their centre;
* ``density``: ``size / mean pairwise distance`` between members (members
  beyond 1000 are subsampled with the run's seed; NaN for a singleton);
* ``separation``: distance from the centre to the nearest other centre
  (NaN with a single cluster);
* ``silhouette``, ``calinski_harabasz``, ``davies_bouldin``: on non-noise
  rows; ``inertia``: within-cluster sum of squares (NaN for density methods);
  ``ari``/``nmi``: every row (noise is one more label) against the target;
  ``stability``: mean ARI of refits on bootstrap resamples of the fitted rows
  (:mod:`cluster_marts.selection.stability`), computed by the caller.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Protocol

import numpy as np
import pandas as pd
from scipy.spatial.distance import pdist
from sklearn.feature_selection import f_classif
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    normalized_mutual_info_score,
)

from cluster_marts.preprocessing.prepare import Prepared
from cluster_marts.preprocessing.scaling import inverse_transform
from cluster_marts.selection.metrics import n_labels_ok, silhouette

__all__ = ["FittedClusters", "quality", "metrics_table", "clusters_table", "centres_table", "importance_table",
           "representatives_table", "SILHOUETTE_SAMPLE"]

SILHOUETTE_SAMPLE = 5000
_MAX_PAIRS = 1000


class FittedClusters(Protocol):
    """What the tables read of one fit on the prepared matrix.

    The workbench's :class:`~cluster_marts.adapters.workbench.menu.Clustering`
    is one as it is.

    Attributes
    ----------
    labels : ndarray of int64, shape (n_samples,)
        ``0..n_clusters-1``; ``-1`` marks noise.
    centres : ndarray of shape (n_clusters, n_dims)
        Member means of the clusters, in the prepared space.
    inertia : float
        Within-cluster sum of squares; NaN when it does not apply.
    n_clusters : int
        Number of clusters, noise excluded.
    """

    @property
    def labels(self) -> np.ndarray: ...

    @property
    def centres(self) -> np.ndarray: ...

    @property
    def inertia(self) -> float: ...

    @property
    def n_clusters(self) -> int: ...


def quality(X: np.ndarray, labels: np.ndarray, random_state: int) -> dict[str, float]:
    """Silhouette, CH and DB on the non-noise rows (NaN when undefined)."""
    keep = labels >= 0
    Xk, lk = X[keep], labels[keep]
    if not n_labels_ok(lk):
        return {"silhouette": np.nan, "calinski_harabasz": np.nan, "davies_bouldin": np.nan}
    sil, _ = silhouette(Xk, lk, sample_size=SILHOUETTE_SAMPLE, random_state=random_state)
    return {"silhouette": sil, "calinski_harabasz": float(calinski_harabasz_score(Xk, lk)),
            "davies_bouldin": float(davies_bouldin_score(Xk, lk))}


def metrics_table(prep: Prepared, fit: FittedClusters, metrics: tuple[str, ...], random_state: int,
                  extra: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per requested metric: ``metric`` (str), ``value`` (float64, NaN when undefined).

    ``extra`` holds metrics computed elsewhere (``stability``).
    """
    values = quality(prep.X, fit.labels, random_state) | {"inertia": fit.inertia} | dict(extra or {})
    if prep.target is not None:
        values["ari"] = float(adjusted_rand_score(prep.target, fit.labels))
        values["nmi"] = float(normalized_mutual_info_score(prep.target, fit.labels))
    return pd.DataFrame({"metric": pd.Series(metrics, dtype="str"),
                         "value": pd.Series([values.get(m, np.nan) for m in metrics], dtype="float64")})


def _nearest_other(centres: np.ndarray) -> np.ndarray:
    if centres.shape[0] < 2:
        return np.full(centres.shape[0], np.nan)
    d = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(d, np.inf)
    return d.min(axis=1)


def clusters_table(prep: Prepared, fit: FittedClusters, random_state: int) -> pd.DataFrame:
    """Per cluster: ``cluster_id``, ``size``, ``share``, ``density``, ``compactness``, ``separation``."""
    rng = np.random.default_rng(random_state)
    rows = []
    separation = _nearest_other(fit.centres)
    for c in range(fit.n_clusters):
        members = prep.X[fit.labels == c]
        to_centre = np.linalg.norm(members - fit.centres[c], axis=1)
        sample = members if len(members) <= _MAX_PAIRS else members[rng.choice(len(members), _MAX_PAIRS, False)]
        mean_pair = float(pdist(sample).mean()) if len(sample) > 1 else np.nan
        rows.append({"cluster_id": c, "size": len(members), "share": len(members) / len(fit.labels),
                     "density": len(members) / mean_pair if mean_pair and mean_pair > 0 else np.nan,
                     "compactness": float(to_centre.mean()), "separation": float(separation[c])})
    columns = {"cluster_id": "int64", "size": "int64", "share": "float64", "density": "float64",
               "compactness": "float64", "separation": "float64"}
    return pd.DataFrame(rows, columns=list(columns)).astype(columns)


def centres_table(prep: Prepared, fit: FittedClusters) -> pd.DataFrame:
    """Long profile: ``cluster_id``, ``feature``, ``value_scaled`` and ``value_original`` member means.

    Every spec feature appears (also those the variance filter dropped), so
    profiles are readable even when the fit ran on PCA/t-SNE components.
    """
    rows = []
    for c in range(fit.n_clusters):
        scaled = prep.scaled[fit.labels == c].mean(axis=0)
        original = inverse_transform(scaled[None, :], prep.scaler)[0]
        for f, s, o in zip(prep.scaler.features, scaled, original):
            rows.append({"cluster_id": c, "feature": f, "value_scaled": s, "value_original": o})
    columns = {"cluster_id": "int64", "feature": "str", "value_scaled": "float64", "value_original": "float64"}
    return pd.DataFrame(rows, columns=list(columns)).astype(columns)


def importance_table(prep: Prepared, fit: FittedClusters) -> pd.DataFrame:
    """ANOVA F of every spec feature across clusters (non-noise rows), ``importance`` = F / sum(F).

    Constant features and runs with fewer than two clusters get F = 0.
    """
    keep = fit.labels >= 0
    f_stat = np.zeros(prep.scaled.shape[1])
    if n_labels_ok(fit.labels[keep]):
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # constant features: F = 0 below
            f_stat = np.nan_to_num(f_classif(prep.scaled[keep], fit.labels[keep])[0], nan=0.0, posinf=0.0)
    total = f_stat.sum()
    importance = f_stat / total if total > 0 else np.zeros_like(f_stat)
    out = pd.DataFrame({"feature": pd.Series(prep.scaler.features, dtype="str"),
                        "f_statistic": pd.Series(f_stat, dtype="float64"),
                        "importance": pd.Series(importance, dtype="float64")})
    return out.sort_values(["importance", "feature"], ascending=[False, True], kind="stable").reset_index(drop=True)


def representatives_table(prep: Prepared, fit: FittedClusters, top: int = 3) -> pd.DataFrame:
    """The ``top`` members closest to each centre: ``cluster_id``, ``rank`` (1 = closest), ``id``, ``distance``."""
    rows = []
    for c in range(fit.n_clusters):
        idx = np.flatnonzero(fit.labels == c)
        dist = np.linalg.norm(prep.X[idx] - fit.centres[c], axis=1)
        for rank, j in enumerate(np.lexsort((prep.ids[idx], dist))[:top], start=1):
            rows.append({"cluster_id": c, "rank": rank, "id": prep.ids[idx[j]], "distance": dist[j]})
    columns = {"cluster_id": "int64", "rank": "int64", "id": "str", "distance": "float64"}
    return pd.DataFrame(rows, columns=list(columns)).astype(columns)
