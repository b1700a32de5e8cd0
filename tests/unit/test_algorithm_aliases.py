"""Algorithm aliases (hierarchical = agglomerative, gaussian_mixture = gmm) and the k-means ``tol`` parameter."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

from cluster_marts.adapters.partition import select_k
from cluster_marts.adapters.workbench.analysis import run_spec, spec_json
from cluster_marts.algorithms.kmeans import KMeansClusterer
from cluster_marts.algorithms.registry import make_estimator
from cluster_marts.config.algorithm_params import ALGORITHM_ALIASES, canonical_algorithm
from cluster_marts.config.cluster import settings_from_meta
from cluster_marts.config.spec import parse_spec
from cluster_marts.errors import SettingsError

ALIASES = [("hierarchical", "agglomerative"), ("gaussian_mixture", "gmm")]


@pytest.fixture(scope="module", params=[3, 11])
def blobs(request) -> pd.DataFrame:
    X, y = make_blobs(120, centers=[[0, 0], [6, 0], [3, 6]], cluster_std=0.8, random_state=request.param)
    return pd.DataFrame({"row_id": np.arange(120), "x": X[:, 0], "y": X[:, 1], "truth": y})


def _spec(name: str, **extra) -> dict:
    return {"name": "blobs", "source": {"ref": "blobs"}, "id_column": "row_id", "features": ["x", "y"],
            "target": "truth", "algorithm": {"name": name}, "n_clusters": 3, "compare": ["kmeans"]} | extra


def test_the_one_alias_map():
    assert ALGORITHM_ALIASES == dict(ALIASES)
    assert [canonical_algorithm(a) for a, _ in ALIASES] == [c for _, c in ALIASES]
    assert canonical_algorithm("kmeans") == "kmeans"


@pytest.mark.parametrize(("alias", "canonical"), ALIASES)
def test_a_spec_alias_is_the_canonical_algorithm_with_identical_tables(blobs, alias, canonical):
    spec = parse_spec(_spec(alias.upper(), compare=[alias, "kmeans"]))
    assert spec.algorithm.name == canonical and spec.compare == (canonical, "kmeans")
    reference = parse_spec(_spec(canonical, compare=[canonical, "kmeans"]))
    assert spec == reference and spec_json(spec) == spec_json(reference)
    got, want = run_spec(spec, blobs), run_spec(reference, blobs)
    for table in want:
        pd.testing.assert_frame_equal(got[table], want[table], obj=table)
    assert (got["k_selection"]["method"] == canonical).all()  # outputs name the canonical algorithm
    assert got["comparison"]["algorithm"].tolist()[0] == canonical


def test_a_spec_listing_an_algorithm_and_its_alias_lists_it_twice():
    with pytest.raises(SettingsError, match=r"'compare'.*lists agglomerative twice"):
        parse_spec(_spec("kmeans", compare=["agglomerative", "hierarchical"]), file="s.yml")


@pytest.mark.parametrize(("alias", "canonical"), ALIASES)
def test_a_provider_alias_gives_the_canonical_k_selection(blobs, alias, canonical):
    meta = {"id_column": "row_id", "features": ["x", "y"], "k_max": 5}
    assert settings_from_meta({**meta, "algorithm": alias}, model="m").algorithm == canonical
    got = select_k(blobs, {**meta, "algorithm": alias}, model="m")
    pd.testing.assert_frame_equal(got, select_k(blobs, {**meta, "algorithm": canonical}, model="m"))
    assert (got["algorithm"] == canonical).all() and got.loc[got["is_chosen"], "k"].tolist() == [3]


def test_an_unknown_algorithm_lists_the_aliases():
    with pytest.raises(SettingsError, match=r"allowed values: agglomerative, gmm, kmeans \(aliases: hierarchical = "
                                            r"agglomerative, gaussian_mixture = gmm\)"):
        settings_from_meta({"id_column": "id", "features": ["x"], "algorithm": "ward"}, model="m")
    with pytest.raises(SettingsError, match=r"spec s.yml: key 'algorithm.name'='ward'.*fcm \(aliases: hierarchical"):
        parse_spec(_spec("ward"), file="s.yml")


@pytest.mark.parametrize(("alias", "canonical"), ALIASES)
def test_the_registry_builds_the_canonical_estimator_for_an_alias(blobs, alias, canonical):
    X = blobs[["x", "y"]].to_numpy()
    got, want = make_estimator(alias, 3, random_state=1).fit(X), make_estimator(canonical, 3, random_state=1).fit(X)
    assert type(got) is type(want) and got.algorithm == canonical
    np.testing.assert_array_equal(got.labels_, want.labels_)


# -- k-means tol ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tol", [0, -1e-3, 1.5, float("nan")])
def test_kmeans_tol_out_of_range_is_refused(tol):
    with pytest.raises(SettingsError, match=r"kmeans: parameter 'tol'=.* a float > 0 and <= 1"):
        make_estimator("kmeans", 3, tol=tol)
    with pytest.raises(SettingsError, match=r"kmeans: parameter 'tol'="):
        KMeansClusterer(3, tol=tol).fit(np.arange(20.0).reshape(-1, 2))
    with pytest.raises(SettingsError, match=r"spec s.yml: key 'algorithm.params.tol'=.*allowed values: a number > 0 "
                                            r"and <= 1"):
        parse_spec(_spec("kmeans", algorithm={"name": "kmeans", "params": {"tol": tol}}), file="s.yml")


def test_kmeans_tol_changes_convergence():
    X, _ = make_blobs(2000, centers=6, cluster_std=3.0, n_features=4, random_state=5)
    loose = KMeansClusterer(6, n_init=1, tol=0.5, random_state=0).fit(X)
    tight = KMeansClusterer(6, n_init=1, tol=1e-8, random_state=0).fit(X)
    assert loose.n_iter_ < tight.n_iter_
    assert loose.inertia_ > tight.inertia_
    assert parse_spec(_spec("kmeans", algorithm={"name": "kmeans", "params": {"tol": 0.01}})).algorithm.params["tol"] \
        == 0.01


def test_kmeans_tol_at_its_default_leaves_the_spec_json_unchanged():
    default, explicit = parse_spec(_spec("kmeans")), parse_spec(_spec("kmeans", algorithm={
        "name": "kmeans", "params": {"tol": 1e-4}}))
    assert spec_json(default) == spec_json(explicit) and '"tol"' not in spec_json(default)
    assert '"tol": 0.01' in spec_json(parse_spec(_spec("kmeans", algorithm={"name": "kmeans",
                                                                            "params": {"tol": 0.01}})))
