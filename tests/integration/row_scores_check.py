"""The per-row scores of an assignments mart, recomputed from the warehouse with pandas.

``distance_to_centroid``, ``normalized_distance``, ``margin`` and
``second_cluster_id`` of a built mart (provider_clusters,
dfu_cluster_assignments) are checked against their definitions
(models/docs/row_scores.md), recomputed here without the engine: the raw
feature values scaled with the published scaler (the used features only), the
centres as the members' means in that space (k-means centres), each cluster's
RMS radius, the nearest other centre.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

Query = Callable[[str], pd.DataFrame]

SCORE_COLUMNS = {"distance_to_centroid": "DOUBLE", "normalized_distance": "DOUBLE", "margin": "DOUBLE",
                 "second_cluster_id": "INTEGER"}


def score_columns(query: Query, mart: str) -> dict[str, str]:
    """Type of each score column of ``mart`` in the warehouse."""
    described = query(f"describe {mart}").set_index("column_name")["column_type"]
    return {name: described.get(name) for name in SCORE_COLUMNS}


def recomputed(query: Query, mart: str, id_column: str, features: str, scaler: str) -> pd.DataFrame:
    """The mart's rows with ``expected_<score>`` columns computed from the features and the scaler.

    Parameters
    ----------
    mart : str
        The assignments mart (``id_column``, ``cluster_id``, ``k`` and the scores).
    features : str
        The table holding the raw feature values per ``id_column``.
    scaler : str
        The published scaler parameters (``feature``, ``clip_lower``, ``clip_upper``, ``center``, ``scale``,
        ``is_used``): values are clipped to the bounds (when not null), then scaled.
    """
    params = query(f"select feature, clip_lower, clip_upper, center, scale from {scaler} "
                   "where is_used order by feature")
    used = params["feature"].tolist()
    rows = query(f"select * from {mart}").merge(
        query(f"select {id_column}, {', '.join(used)} from {features}"),
        on=id_column, how="left", suffixes=("", "_raw"), validate="one_to_one",
    )
    raw = rows[[f"{c}_raw" if f"{c}_raw" in rows else c for c in used]].to_numpy(dtype=float)
    lower = params["clip_lower"].astype(float).fillna(-np.inf).to_numpy()
    upper = params["clip_upper"].astype(float).fillna(np.inf).to_numpy()
    Z = (np.clip(raw, lower, upper) - params["center"].to_numpy()) / params["scale"].to_numpy()
    labels = rows["cluster_id"].to_numpy()
    k = int(rows["k"].iloc[0])
    centres = np.array([Z[labels == c].mean(axis=0) for c in range(k)])
    to_all = np.sqrt(((Z[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    own = to_all[np.arange(len(Z)), labels]
    radius = np.array([np.sqrt((own[labels == c] ** 2).mean()) for c in range(k)])
    others = to_all.copy()
    others[np.arange(len(Z)), labels] = np.inf
    return rows.assign(
        expected_distance_to_centroid=own,
        expected_normalized_distance=own / radius[labels],
        expected_margin=others.min(axis=1) - own,
        expected_second_cluster_id=others.argmin(axis=1),
    )


def check(query: Query, mart: str, id_column: str, features: str, scaler: str) -> pd.DataFrame:
    """Assert the columns, their types, the invariants and the values of the scores; return the rows."""
    assert score_columns(query, mart) == SCORE_COLUMNS
    rows = recomputed(query, mart, id_column, features, scaler)
    k = int(rows["k"].iloc[0])
    assert k >= 2 and (rows["k"] == k).all()
    assert rows["normalized_distance"].notna().all() and (rows["normalized_distance"] >= 0).all()
    assert rows["margin"].notna().all() and rows["second_cluster_id"].notna().all()
    second = rows["second_cluster_id"].astype("int64")
    assert (second != rows["cluster_id"]).all() and second.between(0, k - 1).all()
    for name in ("distance_to_centroid", "normalized_distance", "margin"):
        np.testing.assert_allclose(rows[name], rows[f"expected_{name}"], rtol=1e-6, atol=1e-9, err_msg=name)
    np.testing.assert_array_equal(second, rows["expected_second_cluster_id"])
    # every cluster's members have a root mean square normalised distance of exactly 1
    rms = rows.groupby("cluster_id")["normalized_distance"].apply(lambda v: np.sqrt((v**2).mean()))
    np.testing.assert_allclose(rms, 1.0, rtol=1e-9)
    return rows
