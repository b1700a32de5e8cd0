"""Cluster ids that hold from one build to the next (identity.lineage through adapters.clustering).

Build, change the data, build again with the first build's memory: clusters
that keep most of their members keep their id, a forced change of k gives new
ids only to unmatched clusters, and every event is in the lineage records.
Two differently built generators (gaussian blobs, skewed log-normal groups),
two seeds each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from sklearn.datasets import make_blobs

from cluster_marts.adapters.clustering import clustering_table
from cluster_marts.adapters.long_table import packed_rows, record_rows
from cluster_marts.adapters.memory import LINEAGE_COLUMNS, MEMORY_COLUMNS, previous_records
from cluster_marts.identity.lineage import PreviousFit, held_and_kept, keep_ids

META = {"id_column": "id", "features": ["a", "b", "c"], "random_state": 7, "k_max": 7}


def blobs(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    centres = np.array([[0, 0, 0], [6, 0, 0], [0, 6, 0], [0, 0, 6]], dtype=float)
    return make_blobs(n_samples=n, centers=centres, cluster_std=1.0, random_state=seed)


def skewed(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.log(np.array([[1, 1, 1], [40, 1, 2], [1, 40, 2], [30, 30, 30]], dtype=float))
    y = rng.choice(4, size=n, p=[0.4, 0.25, 0.2, 0.15])
    return np.exp(rng.normal(centres[y], 0.25)), y


def frame(X: np.ndarray, first_id: int = 0) -> pd.DataFrame:
    return pd.DataFrame({"id": np.arange(first_id, first_id + len(X)), "a": X[:, 0], "b": X[:, 1], "c": X[:, 2]})


def build(features: pd.DataFrame, memory: pd.DataFrame | None, meta=META) -> dict[str, pd.DataFrame]:
    long = clustering_table(features, meta, memory, model="int_test_clustering", domain="test").to_pandas()
    memory = packed_rows(long, "cluster_memory", MEMORY_COLUMNS)
    lineage = packed_rows(long, "lineage", LINEAGE_COLUMNS)
    return {
        "assignment": record_rows(long, "assignment", ["id", "cluster_id", "k", "run_id"]),
        "cluster_memory": memory,
        "lineage": lineage,
        "previous": previous_records(long),  # what the model reads back on its next build (read_previous)
    }


@pytest.mark.parametrize("generator", [blobs, skewed])
@pytest.mark.parametrize("seed", [0, 5])
def test_ids_hold_when_the_data_grow(generator, seed):
    X, _ = generator(1100, seed)
    first = build(frame(X[:1000]), None)
    assert set(first["lineage"]["event"]) == {"reset"}
    assert sorted(first["assignment"]["cluster_id"].unique()) == list(range(4))
    # 10 % more rows, and the first rows shifted a little: the canonical order may move, the ids must not
    grown = np.vstack([X[:1000] * 1.03, X[1000:]])
    second = build(frame(grown), first["cluster_memory"])
    stable, kept = held_and_kept(first["assignment"], second["assignment"])
    assert stable == 4 and kept == 4
    lineage = second["lineage"]
    assert sorted(lineage["event"]) == ["kept"] * 4
    assert (lineage["previous_run_id"] == first["assignment"]["run_id"].iat[0]).all()
    assert (lineage["cluster_id"] == lineage["previous_cluster_id"]).all()


def test_ids_are_kept_where_the_canonical_order_changes():
    """Growth moves a cluster's leading-feature mean past another's: canonical ids swap, published ids stay."""
    rng = np.random.default_rng(3)
    y = np.repeat([0, 1], 300)
    X = np.column_stack([rng.normal(np.where(y == 0, 0.0, 0.3), 0.5), rng.normal(10.0 * y, 0.5)])
    extra = np.column_stack([rng.normal(1.5, 0.5, 80), rng.normal(0.0, 0.5, 80)])  # joins group 0
    meta = {**META, "features": ["a", "b"], "selection_rule": "fixed", "n_clusters": 2, "canonical_order": "a"}

    def table(X):
        return pd.DataFrame({"id": np.arange(len(X)), "a": X[:, 0], "b": X[:, 1]})

    def ids_of_groups(assignment, groups):
        return assignment.groupby(groups)["cluster_id"].agg(lambda s: s.mode().iat[0]).tolist()

    first = build(table(X), None, meta)
    grown, groups = table(np.vstack([X, extra])), np.r_[y, np.zeros(80, int)]
    fresh = build(grown, None, meta)["assignment"]
    second = build(grown, first["cluster_memory"], meta)
    before = ids_of_groups(first["assignment"], y)
    assert before == [0, 1]
    assert ids_of_groups(fresh, groups) == [1, 0]  # without memory the ids swap
    assert ids_of_groups(second["assignment"], groups) == [0, 1]
    assert sorted(second["lineage"]["event"]) == ["kept", "kept"]


@pytest.mark.parametrize("seed", [0, 5])
def test_forced_change_of_k_gives_new_ids_only_to_unmatched_clusters(seed):
    X, _ = blobs(1000, seed)
    first = build(frame(X), None)
    second = build(frame(X), first["cluster_memory"], {**META, "selection_rule": "fixed", "n_clusters": 5})
    lineage = second["lineage"]
    kept = lineage[lineage["event"] == "kept"]
    new = lineage[lineage["event"] == "new"]
    assert len(kept) + len(new) == 5 and len(new) >= 1
    assert len(kept) >= 3  # a split cluster loses its id at most once
    assert set(new["cluster_id"]) == set(range(4, 4 + len(new)))  # fresh ids, never a previous one
    vanished = lineage[lineage["event"] == "vanished"]
    assert set(kept["previous_cluster_id"]) | set(vanished["previous_cluster_id"]) == {0, 1, 2, 3}
    back = build(frame(X), second["cluster_memory"])  # back to k = 4: the ids never go back to a vanished one
    assert back["assignment"]["cluster_id"].max() >= 4 or len(vanished) == 0


def test_a_rebuild_on_the_same_data_makes_no_event_and_keeps_the_ones_that_led_here():
    X, _ = blobs(400, 1)
    first = build(frame(X), None)
    second = build(frame(X), first["previous"])
    pd.testing.assert_frame_equal(first["assignment"], second["assignment"])
    # no new event; the events that made these ids stay in the table (cluster_lineage records each once)
    pd.testing.assert_frame_equal(second["lineage"], first["lineage"])
    assert set(second["lineage"]["event"]) == {"reset"}
    moved = build(frame(X * 1.01), second["previous"])
    assert set(moved["lineage"]["event"]) == {"kept"}
    again = build(frame(X * 1.01), moved["previous"])
    pd.testing.assert_frame_equal(again["lineage"], moved["lineage"])


def test_another_feature_set_starts_new_ids():
    X, _ = blobs(400, 1)
    first = build(frame(X), None)
    second = build(frame(X), first["cluster_memory"], {**META, "features": ["a", "b"]})
    lineage = second["lineage"]
    assert set(lineage.loc[lineage["cluster_id"].notna(), "cluster_id"]) >= {4}
    assert (lineage.loc[lineage["event"] == "new", "reason"].str.contains("features changed")).all()
    assert sorted(lineage.loc[lineage["event"] == "vanished", "previous_cluster_id"]) == [0, 1, 2, 3]


def test_keep_ids_rejects_matches_beyond_the_previous_radius():
    prev = PreviousFit("r", ("x",), np.array([0, 1]), np.array([[0.0], [10.0]]), np.array([1.0, 1.0]), 2)
    match = keep_ids(np.array([[0.5], [13.0]]), ("x",), lambda a: a, prev)
    assert match.ids.tolist() == [0, 2] and match.events == ("kept", "new")
    assert match.vanished.tolist() == [1] and match.next_id == 3


def test_memory_round_trips_through_arrow():
    X, _ = blobs(300, 2)
    long = clustering_table(frame(X), META, None, model="m", domain="test")
    assert isinstance(long, pa.Table)
    memory = packed_rows(long.to_pandas(), "cluster_memory", MEMORY_COLUMNS)
    assert len(memory) == 4 and memory["next_id"].eq(4).all()


def test_a_table_of_an_older_layout_is_replaced_by_the_new_layout():
    """An existing table without fit_key and records (an earlier release), or with other columns (an input
    column added), has no memory to read; current_layout replaces it by an empty table of the new columns,
    so dbt's delete+insert fills it without --full-refresh; the next build reads the memory back."""
    from types import SimpleNamespace

    import duckdb

    from cluster_marts.adapters.memory import current_layout, read_previous

    con = duckdb.connect()
    con.execute("create table fit as select 'assignment' as record_type, i as old_column from range(3) t(i)")
    dbt = SimpleNamespace(is_incremental=True, this="fit")
    assert read_previous(dbt, con, "test") is None
    X, _ = blobs(300, 2)
    long = clustering_table(frame(X), META, None, model="m", domain="test")
    assert current_layout(dbt, con, long) is long
    assert [c[0] for c in con.execute("describe fit").fetchall()] == long.column_names
    assert con.execute("select count(*) from fit").fetchall() == [(0,)]
    con.register("new_rows", long)
    con.execute("insert into fit select * from new_rows")
    previous = read_previous(dbt, con, "test")  # the next build reads the memory back
    assert set(previous["record_type"]) == {"cluster_memory", "lineage"} and len(previous) == 8
    assert current_layout(dbt, con, long) is long and con.execute("select count(*) from fit").fetchall()[0][0] > 0
    assert read_previous(SimpleNamespace(is_incremental=False, this="fit"), con, "test") is None


def test_a_cluster_of_identical_rows_keeps_its_id_when_its_mean_moves_a_little():
    # every customer who never returns anything: radius 0; one member joining moves the mean
    prev = PreviousFit("r0", ("return_rate",), np.array([3, 7]), np.array([[0.0], [4.0]]), np.array([0.0, 1.0]), 8)
    kept = keep_ids(np.array([[0.02], [4.3]]), ("return_rate",), lambda a: a, prev)
    assert kept.ids.tolist() == [3, 7] and kept.events == ("kept", "kept")
    # beyond a quarter of the gap to the nearest other cluster (4 x 0.25 = 1) it is another cluster
    moved = keep_ids(np.array([[1.5], [4.3]]), ("return_rate",), lambda a: a, prev)
    assert moved.ids.tolist() == [8, 7] and moved.events == ("new", "kept") and moved.vanished.tolist() == [3]
    # a single previous cluster has no neighbour: its radius alone
    alone = PreviousFit("r0", ("x",), np.array([0]), np.array([[0.0]]), np.array([0.0]), 1)
    assert keep_ids(np.array([[0.02]]), ("x",), lambda a: a, alone).events == ("new",)


def test_a_previous_cluster_without_members_leaves_the_others_tolerance_alone():
    prev = PreviousFit("r0", ("x",), np.array([0, 1, 2]), np.array([[0.0], [4.0], [np.nan]]),
                       np.array([0.0, 1.0, np.nan]), 3)
    assert keep_ids(np.array([[0.02], [4.3]]), ("x",), lambda a: a, prev).events == ("kept", "kept")
