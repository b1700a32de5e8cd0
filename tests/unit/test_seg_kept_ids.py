"""Customer segment ids hold from one build to the next, on every (axis, method); two generators, two seeds.

Build the segmentation, grow the data, build again with the first build's
memory: segments that hold together keep their id, the memberships' positions
map to the published ids, and the subdivision paths start with them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

from cluster_marts.adapters.customers import segmentation_table
from cluster_marts.adapters.long_table import packed_rows, record_rows
from cluster_marts.adapters.memory import LINEAGE_COLUMNS, MEMORY_COLUMNS, previous_records
from cluster_marts.identity.lineage import held_and_kept

META = {"id_column": "customer_id", "axes": {"shape": ["x", "y"]}, "methods": ["fcm", "gmm"], "k_max": 5,
        "subdivision": {"min_size": 10_000}, "random_state": 42}


def blobs(n: int, seed: int) -> np.ndarray:
    return make_blobs(n_samples=n, centers=[[0, 0], [6, 0], [0, 6]], cluster_std=0.8, random_state=seed)[0]


def skewed(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    group = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    return np.exp(rng.normal(np.log([[1, 1], [30, 1], [1, 30]])[group], 0.2))


def build(X: np.ndarray, previous: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    features = pd.DataFrame({"customer_id": [f"c{i:05d}" for i in range(len(X))], "x": X[:, 0], "y": X[:, 1]})
    long = segmentation_table(features, META, model="int_customer_segmentation", previous=previous).to_pandas()
    memory = packed_rows(long, "cluster_memory", MEMORY_COLUMNS)
    lineage = packed_rows(long, "lineage", LINEAGE_COLUMNS)
    return {
        "assignment": record_rows(long, "assignment", ["customer_id", "axis", "method", "segment_id",
                                                       "segment_path", "memberships"]),
        "memory": memory,
        "lineage": lineage,
        "previous": previous_records(long),  # what the model reads back on its next build (read_previous)
    }


@pytest.mark.parametrize("generator", [blobs, skewed])
@pytest.mark.parametrize("seed", [0, 3])
def test_segment_ids_hold_when_the_data_grow(generator, seed):
    X = generator(660, seed)
    first = build(X[:600], None)
    grown = np.vstack([X[:600] * 1.02, X[600:]])
    second = build(grown, first["previous"])
    def scoped(assignment):  # one segmentation per (axis, method)
        method = assignment["method"].astype(str)
        return pd.DataFrame({"id": assignment["customer_id"].astype(str) + "/" + method,
                             "cluster_id": method + "/" + assignment["segment_id"].astype(str)})

    held, kept = held_and_kept(scoped(first["assignment"]), scoped(second["assignment"]))
    assert held >= 6 and kept == held  # 3 planted groups x 2 methods
    assert set(second["lineage"]["event"]) <= {"kept", "new", "vanished"}
    # memberships are positional; the memory says which published id each position is
    memory = second["memory"].assign(position=lambda m: m["position"].astype(int))
    for (axis, method), rows in second["assignment"].groupby(["axis", "method"]):
        ids = memory[(memory["scope"] == axis) & (memory["method"] == method)].sort_values("position")
        dominant = np.array([np.argmax(m) for m in rows["memberships"]])
        published = ids["cluster_id"].astype(int).to_numpy()[dominant]
        np.testing.assert_array_equal(published, rows["segment_id"].to_numpy())
        assert (rows["segment_path"].str.split(".").str[0].astype(int) == rows["segment_id"]).all()


def test_a_vanished_segment_id_is_never_reused():
    X = blobs(600, 1)
    first = build(X, None)
    # one planted group gone: its segment vanishes; a far new group takes a fresh id
    far = np.random.default_rng(2).normal([20.0, 20.0], 0.8, size=(200, 2))
    second = build(np.vstack([X[(X[:, 1] < 3)], far]), first["previous"])
    for (axis, method), rows in second["lineage"].groupby(["scope", "method"]):
        new = rows.loc[rows["event"] == "new", "cluster_id"].astype(int)
        before = set(first["memory"].loc[(first["memory"]["scope"] == axis) & (first["memory"]["method"] == method),
                                         "cluster_id"].astype(int))
        assert len(new) >= 1 and not set(new) & before
        assert (rows["event"] == "vanished").sum() >= 1


@pytest.mark.parametrize("seed", [0, 3])
def test_the_reference_models_ids_hold_and_the_scoring_reads_them_by_position(seed):
    """The snapshots' reference model keeps its segment ids across refits like the segmentation: a new planted
    group placed first in canonical order takes a fresh id at position 0, the others keep theirs, and a
    snapshot scored by position reads the same ids as the fit."""
    from cluster_marts.adapters.customers.reference import reference_table
    from cluster_marts.profiling.reference import score_memberships

    meta = {**META, "methods": ["fcm"]}

    def fit(X, previous):
        features = pd.DataFrame({"customer_id": [f"c{i:05d}" for i in range(len(X))], "x": X[:, 0], "y": X[:, 1]})
        long = reference_table(features, meta, model="int_customer_reference_model", previous=previous).to_pandas()
        rows = record_rows(long, "reference", ["segment_id", "position", "feature", "center_scaled",
                                               "scaler_center", "scaler_scale"])
        return long, rows, packed_rows(long, "lineage", LINEAGE_COLUMNS)

    X = blobs(600, seed)
    first_long, first, _ = fit(X, None)
    assert (first["segment_id"] == first["position"]).all()  # a first build numbers canonically
    low = np.random.default_rng(seed).normal([-8.0, 3.0], 0.6, size=(200, 2))  # the lowest x: canonical position 0
    _, second, lineage = fit(np.vstack([X, low]), previous_records(first_long))
    ids = second.drop_duplicates("position").sort_values("position")["segment_id"].astype(int).tolist()
    assert len(ids) == 4 and ids[0] == 3 and sorted(ids[1:]) == [0, 1, 2]
    assert sorted(lineage["event"]) == ["kept", "kept", "kept", "new"]
    # scoring the new group's points with the stored centres (list order = position) puts them in id 3
    centres = second.pivot(index="position", columns="feature", values="center_scaled")[["x", "y"]].to_numpy()
    scaler = second.drop_duplicates("feature").set_index("feature").loc[["x", "y"]]
    u = score_memberships(low, centres, scaler["scaler_center"].to_numpy(), scaler["scaler_scale"].to_numpy(), 2.0)
    assert (np.array(ids)[u.argmax(axis=1)] == 3).mean() > 0.95


def nested(n: int, seed: int) -> np.ndarray:
    """Two top-level groups far apart (on both features), each made of two sub-groups (on y): both are split."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [0.0, 3.0], [12.0, 6.0], [12.0, 9.0]])
    return rng.normal(centres[rng.choice(4, size=n, p=[0.3, 0.3, 0.2, 0.2])], 0.4)


@pytest.mark.parametrize("seed", [0, 5])
def test_sub_segment_ids_hold_when_the_data_grow(seed):
    """Sub-segments keep their path from one build to the next, like top-level segments: each split's
    children are matched to the previous build's children of the same path (scope "<axis>:<path>")."""
    meta = {**META, "methods": ["fcm", "gmm"], "k_max": 2,
            "subdivision": {"min_size": 50, "max_share": 0.25, "max_variance": 0.5, "max_depth": 1}}

    def build_nested(X, previous):
        features = pd.DataFrame({"customer_id": [f"c{i:05d}" for i in range(len(X))], "x": X[:, 0], "y": X[:, 1]})
        long = segmentation_table(features, meta, model="int_customer_segmentation", previous=previous).to_pandas()
        return (record_rows(long, "assignment", ["customer_id", "method", "segment_path"]), previous_records(long),
                packed_rows(long, "lineage", LINEAGE_COLUMNS))

    X = nested(1100, seed)
    first, previous, _ = build_nested(X[:1000], None)
    assert (first["segment_path"].str.count(r"\.") == 1).all()  # every customer in a sub-segment
    # the rows grow by 10 % and shift by 2 %, and a new sub-group appears below the left group's lowest one
    # (first in canonical order): every split is refitted, its children matched to the first build's
    extra = np.random.default_rng(seed).normal([0.0, -3.0], 0.4, size=(150, 2))
    second, _, lineage = build_nested(np.vstack([X[:1000] * 1.02, X[1000:], extra]), previous)

    def scoped(a):
        a = a.astype(str)
        return pd.DataFrame({"id": a["customer_id"] + "/" + a["method"], "cluster_id": a["method"] + "/" +
                             a["segment_path"]})

    held, kept = held_and_kept(scoped(first), scoped(second))
    assert held == 8 and kept == held  # 4 planted sub-groups x 2 methods
    children = lineage[lineage["scope"].str.contains(":")]
    assert (children["event"] == "kept").sum() == 8
    new = children[children["event"] == "new"]  # the new sub-group: a fresh child id, not canonical 0
    assert len(new) == 2 and set(new["cluster_id"].astype(int)) == {2}
