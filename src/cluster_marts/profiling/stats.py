"""Statistics for profiles and reports: Kruskal-Wallis by group, 2-D PCA."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps
from sklearn.decomposition import PCA

__all__ = ["kruskal_by_group", "epsilon_squared", "pca_2d", "KRUSKAL_COLUMNS"]

KRUSKAL_COLUMNS = ["metric", "n_groups", "n_observations", "h_statistic", "p_value", "epsilon_squared"]


def epsilon_squared(h_statistic: float, n_observations: int) -> float:
    """Effect size of a Kruskal-Wallis test: ``H / ((n**2 - 1) / (n + 1))``.

    Parameters
    ----------
    h_statistic : float
    n_observations : int

    Returns
    -------
    float
        NaN when ``n_observations < 2``.

    References
    ----------
    Tomczak, M. and Tomczak, E. (2014), "The need to report effect size
    estimates revisited", Trends in Sport Sciences 1(21), 19-25.

    Examples
    --------
    >>> epsilon_squared(4.5, 10)
    0.5
    """
    n = float(n_observations)
    if n < 2:
        return float("nan")
    return float(h_statistic) * (n + 1.0) / (n * n - 1.0)


def _kruskal_row(frame: pd.DataFrame, group_column: str, column: str) -> dict[str, object]:
    values = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    groups = [
        g.to_numpy()
        for _, g in values.groupby(frame[group_column], dropna=True, sort=True)
        if g.notna().any()
    ]
    groups = [g[~np.isnan(g)] for g in groups]
    n_obs = int(sum(g.size for g in groups))
    h = p = np.nan
    if len(groups) >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all values tied: scipy returns NaN
            result = sps.kruskal(*groups)
        h, p = float(result.statistic), float(result.pvalue)
    return {
        "metric": column,
        "n_groups": len(groups),
        "n_observations": n_obs,
        "h_statistic": h,
        "p_value": p,
        "epsilon_squared": epsilon_squared(h, n_obs) if np.isfinite(h) else np.nan,
    }


def kruskal_by_group(frame: pd.DataFrame, group_column: str, value_columns: Sequence[str]) -> pd.DataFrame:
    """Kruskal-Wallis H test of each value column across the groups.

    Parameters
    ----------
    frame : DataFrame
    group_column : str
        Column defining the groups (e.g. ``cluster_id`` or ``region``); rows
        with a null group are left out.
    value_columns : sequence of str
        Numeric columns to test; nulls are dropped, and groups left without
        values are dropped.

    Returns
    -------
    DataFrame
        One row per value column: ``metric`` (str), ``n_groups`` (int64),
        ``n_observations`` (int64), ``h_statistic``, ``p_value``,
        ``epsilon_squared`` (float64).  Statistics are NaN with fewer than 2
        non-empty groups or when every value is tied.

    Raises
    ------
    KeyError
        A named column is missing from ``frame``.
    """
    missing = [c for c in [group_column, *value_columns] if c not in frame.columns]
    if missing:
        raise KeyError(f"columns {missing} not in frame; available: {list(frame.columns)}")
    rows = [_kruskal_row(frame, group_column, column) for column in value_columns]
    out = pd.DataFrame(rows, columns=KRUSKAL_COLUMNS)
    return out.astype(
        {"metric": "str", "n_groups": "int64", "n_observations": "int64",
         "h_statistic": "float64", "p_value": "float64", "epsilon_squared": "float64"}
    )


def pca_2d(X: np.ndarray, random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Project rows on the first two principal components (for plots).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    random_state : int, default=0
        Passed to :class:`sklearn.decomposition.PCA` (the full SVD used here is
        deterministic anyway; signs are fixed by sklearn's ``svd_flip``).

    Returns
    -------
    coords : ndarray of shape (n_samples, 2)
        Zero-padded when fewer than two components exist (one feature,
        one row, or constant data).
    explained_variance_ratio : ndarray of shape (2,)
        Zero-padded likewise; zeros for constant data.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {X.shape}.")
    coords = np.zeros((X.shape[0], 2))
    ratio = np.zeros(2)
    n_components = min(2, X.shape[0], X.shape[1])
    if n_components == 0 or np.allclose(X.var(axis=0), 0.0):
        return coords, ratio
    pca = PCA(n_components=n_components, svd_solver="full", random_state=random_state)
    coords[:, :n_components] = pca.fit_transform(X)
    ratio[:n_components] = pca.explained_variance_ratio_
    return coords, ratio
