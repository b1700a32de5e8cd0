"""Per-row scores of assign_clusters (normalized_distance, margin, second_cluster_id) on planted outliers.

Three tight, well separated blobs plus a few rows planted far outside them:
k-means at k=3 puts each outlier in its nearest blob, so the outliers must
carry the largest normalised distances.  Every score is recomputed here with
plain numpy from the published cluster ids and the raw features (scaled by
hand), not with the engine's own helpers.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.partition import ROW_SCORE_COLUMNS, assign_clusters, select_k

ROOT = Path(__file__).resolve().parents[2]
MODEL = "int_provider_clusters"
CENTRES = np.array([[0.0, 0.0], [20.0, 0.0], [10.0, 17.0]])
# each outlier lies 6 to 8 units out from one blob (blob sd 1), on the side away from the other blobs
OUTLIERS = np.array([[-6.0, -4.0], [27.0, -4.0], [10.0, 24.0], [-5.0, 5.0]])
OUTLIER_BLOBS = [0, 1, 2, 0]
META = {"id_column": "entity_id", "features": ["x0", "x1"], "random_state": 42, "k_min": 2, "k_max": 5,
        "selection_rule": "fixed", "n_clusters": 3}


def planted(seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Blobs of 100 rows around CENTRES plus OUTLIERS, shuffled.

    Returns the frame (with ``blob``, the planted blob of each row, which is
    not a feature) and the outliers' ids.
    """
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(c, 1.0, size=(100, 2)) for c in CENTRES] + [OUTLIERS])
    blob = np.r_[np.repeat(np.arange(3), 100), OUTLIER_BLOBS]
    ids = rng.permutation(X.shape[0]) + 5000
    frame = pd.DataFrame({"entity_id": ids, "x0": X[:, 0], "x1": X[:, 1], "blob": blob})
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True), ids[-len(OUTLIERS):]


def independent_scores(frame: pd.DataFrame, labels: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Standard-scaled features, member-mean centres, RMS radius, runner-up: numpy only."""
    X = frame[["x0", "x1"]].to_numpy()
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    centres = np.array([Z[labels == c].mean(axis=0) for c in range(k)])
    to_all = np.sqrt(((Z[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    own = to_all[np.arange(len(Z)), labels]
    radius = np.array([np.sqrt((own[labels == c] ** 2).mean()) for c in range(k)])
    others = to_all.copy()
    others[np.arange(len(Z)), labels] = np.inf
    return {"distance_to_centroid": own, "normalized_distance": own / radius[labels],
            "margin": others.min(axis=1) - own, "second_cluster_id": others.argmin(axis=1)}


@pytest.mark.parametrize("seed", [0, 7])
def test_outliers_have_the_largest_normalized_distance(seed):
    frame, outlier_ids = planted(seed)
    out = assign_clusters(frame, select_k(frame, META, model=MODEL), META, model=MODEL)
    assert list(out.columns[-7:-3]) == ROW_SCORE_COLUMNS
    labels = out["cluster_id"].to_numpy()
    assert (out["k"] == 3).all()
    assert adjusted_rand_score(frame["blob"], labels) == 1.0  # every outlier joined its own blob
    expected = independent_scores(frame, labels, 3)
    for column in ("distance_to_centroid", "normalized_distance", "margin"):
        np.testing.assert_allclose(out[column].to_numpy(), expected[column], rtol=1e-9, atol=1e-12, err_msg=column)
    assert out["second_cluster_id"].dtype == "Int64"
    np.testing.assert_array_equal(out["second_cluster_id"].to_numpy(dtype=np.int64), expected["second_cluster_id"])
    top = out.nlargest(len(outlier_ids), "normalized_distance")["entity_id"]
    assert sorted(top) == sorted(outlier_ids)
    assert out["normalized_distance"].min() >= 0 and (out["margin"] >= 0).all()  # k-means: own centre is nearest
    assert (out["second_cluster_id"] != out["cluster_id"]).all()
    # a typical member sits about one radius out: the RMS of normalized_distance in each cluster is exactly 1
    rms = out.groupby("cluster_id")["normalized_distance"].apply(lambda v: np.sqrt((v**2).mean()))
    np.testing.assert_allclose(rms.to_numpy(), 1.0, rtol=1e-12)


def test_one_cluster_has_no_margin_and_no_runner_up():
    frame, _ = planted(0)
    out = assign_clusters(frame, pd.DataFrame({"k": [1], "is_chosen": [True]}), META, model=MODEL)
    expected = independent_scores(frame, np.zeros(len(frame), dtype=np.int64), 1)
    np.testing.assert_allclose(out["normalized_distance"], expected["normalized_distance"], rtol=1e-9)
    assert out["margin"].isna().all() and out["second_cluster_id"].isna().all()
    assert out["second_cluster_id"].dtype == "Int64"


@pytest.mark.parametrize(("path", "mart"), [("models/marts/providers/_providers__models.yml", "provider_clusters"),
                                            ("models/marts/demand/_demand__models.yml", "dfu_cluster_assignments")])
def test_the_marts_contract_the_published_scores(path, mart):
    """The contract types the scores (cast_to_contract): every published score column, with its type."""
    model = next(m for m in yaml.safe_load((ROOT / path).read_text())["models"] if m["name"] == mart)
    contract = {c["name"]: c["data_type"] for c in model["columns"]}
    assert {name: contract.get(name) for name in ROW_SCORE_COLUMNS} == {
        "distance_to_centroid": "double", "normalized_distance": "double", "margin": "double",
        "second_cluster_id": "integer"}
    assert "{{ cast_to_contract(" in (ROOT / Path(path).parent / f"{mart}.sql").read_text()
