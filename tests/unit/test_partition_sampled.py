"""Providers / demand: the k grid and the chosen fit on the fit sample, every row assigned."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.partition import assign_clusters, centroids, select_k

N = 4_000
META = {"id_column": "id", "features": ["a", "b", "c"], "k_min": 2, "k_max": 5, "random_state": 5}


def frame(generator: str, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    if generator == "blobs":
        X, y = make_blobs(n_samples=[2_000, 1_200, 600, 200], n_features=3, cluster_std=0.6,
                          centers=np.array([[0, 0, 0], [6, 0, 0], [0, 6, 0], [0, 0, 6]]) + seed, random_state=seed)
    else:  # skewed: log-normal groups, one rare
        rng = np.random.default_rng(seed)
        y = np.repeat(np.arange(3), [2_000, 1_400, 600])
        centers = np.log(np.array([[1.0, 8.0, 3.0], [8.0, 1.0, 3.0], [4.5, 4.5, 9.0]]))
        X = np.exp(rng.normal(centers[y], 0.1))
    ids = np.random.default_rng(seed).permutation(N)
    return pd.DataFrame({"id": ids, "a": X[:, 0], "b": X[:, 1], "c": X[:, 2]}), y


@pytest.mark.parametrize("generator", ["blobs", "skewed"])
@pytest.mark.parametrize("seed", [0, 3])
def test_sampled_fit_assigns_every_row_like_the_full_fit(generator, seed):
    features, truth = frame(generator, seed)
    meta = META
    full = assign_clusters(features, select_k(features, meta, model="m"), meta, model="m")
    sampled_meta = {**meta, "fit_sample_size": 500}
    k_selection = select_k(features, sampled_meta, model="m")
    sampled = assign_clusters(features, k_selection, sampled_meta, model="m")
    assert len(sampled) == N and sampled["cluster_id"].notna().all()
    assert (sampled["id"].to_numpy() == features["id"].to_numpy()).all()
    assert int(k_selection.loc[k_selection["is_chosen"], "k"].item()) == full["k"].iat[0] == len(np.unique(truth))
    assert k_selection["n_samples"].eq(N).all()
    assert adjusted_rand_score(full["cluster_id"], sampled["cluster_id"]) >= 0.95
    assert adjusted_rand_score(truth, sampled["cluster_id"]) >= 0.9
    assert sampled["run_id"].iat[0] != full["run_id"].iat[0]  # fit_sample_size is part of the run id


def test_centroids_are_the_sampled_fits():
    features, _ = frame("blobs", 1)
    meta = {**META, "fit_sample_size": 500}
    ks = select_k(features, meta, model="m")
    assigned = assign_clusters(features, ks, meta, model="m")
    centres = centroids(features, ks, meta, model="m")
    means = features.groupby(assigned["cluster_id"])[["a", "b", "c"]].mean()
    got = centres.pivot(index="cluster_id", columns="feature", values="center_original")[["a", "b", "c"]]
    # the sample's centres are close to the members' means over every row (sd 0.6, >= 25 sampled members)
    np.testing.assert_allclose(got.to_numpy(), means.to_numpy(), atol=0.4)
