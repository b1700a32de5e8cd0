"""Fit on a sample, score everyone: the sampled fit recovers the full fit's structure; parallel == serial."""

from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from cluster_marts.adapters.customers import pipeline
from cluster_marts.adapters.customers.core import segment_axis
from cluster_marts.adapters.customers.reference import reference_model
from cluster_marts.config.segmentation import segmentation_settings_from_meta

N, SAMPLE = 3_000, 600
META = {"id_column": "customer_id", "axes": {"main": ["a", "b"]}, "k_max": 6, "random_state": 3,
        "selection_rule": "silhouette", "neural": {"hidden_units": 8}, "subdivision": {"max_depth": 0}}


def blobs(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Three gaussian blobs of unequal size (60 / 30 / 10 %)."""
    X, y = make_blobs(n_samples=[1_800, 900, 300], centers=[[0, 0], [5, 1], [1, 6]], cluster_std=0.8,
                      random_state=seed)
    return X, y


def spend(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Customer-like: log-normal frequency and spend of four groups, one of them rare and heavy (5 %)."""
    rng = np.random.default_rng(seed)
    sizes, freq, value = [1_350, 900, 600, 150], [0.0, 1.2, 2.4, 3.6], [3.0, 4.0, 5.0, 7.0]
    y = np.repeat(np.arange(4), sizes)
    X = np.column_stack([rng.normal(np.take(freq, y), 0.3), rng.normal(np.take(value, y), 0.3)])
    return X, y


def settings(fit_sample_size: int):
    return segmentation_settings_from_meta({**META, "fit_sample_size": fit_sample_size}, model="m")


# neural on `spend`: the full fit itself merges planted groups (k 2 or 3 of 4), so there is no structure to keep
CASES = [(g, m) for g in (blobs, spend) for m in ("fcm", "gmm", "neural") if (g, m) != (spend, "neural")]


@pytest.mark.parametrize(("generator", "method"), CASES)
@pytest.mark.parametrize("seed", [0, 1])
def test_sampled_fit_recovers_the_full_fit(generator, seed, method):
    X, truth = generator(seed)
    full = segment_axis(X, settings(N), "main", method, "r", "m")
    sampled = segment_axis(X, settings(SAMPLE), "main", method, "r", "m")
    assert full.metrics["n_fit_samples"] == N and sampled.metrics["n_fit_samples"] == SAMPLE
    assert sampled.labels.shape == (N,) and sampled.memberships.shape == (N, sampled.k)
    np.testing.assert_allclose(sampled.memberships.sum(axis=1), 1.0)
    assert sampled.k == full.k == len(np.unique(truth))
    assert adjusted_rand_score(full.labels, sampled.labels) >= 0.95
    assert adjusted_rand_score(truth, sampled.labels) >= 0.9


def test_sampled_subdivision_scores_every_row():
    """A 90 % segment split on samples: every member gets a child, children match the planted halves."""
    rng = np.random.default_rng(5)
    X = np.vstack([rng.normal([0, 0], 0.2, (1_350, 2)), rng.normal([1.5, 0], 0.2, (1_350, 2)),
                   rng.normal([0, 10], 0.2, (300, 2))])
    meta = {**META, "k_max": 2, "scaling": "none", "subdivision": {"max_share": 0.6, "max_depth": 1, "min_size": 50}}
    s = segmentation_settings_from_meta({**meta, "fit_sample_size": 400}, model="m")
    r = segment_axis(X, s, "main", "fcm", "r", "m")
    paths = pd.Series(r.subdivision.paths)
    assert r.metrics["n_fit_samples"] == 400
    # canonical order: the small segment's mean of the first feature (0) is below the giant's (0.75)
    assert paths.value_counts().to_dict() == {"0": 300, "1.0": 1_350, "1.1": 1_350}
    assert (paths[:1_350] == "1.0").all() and (paths[1_350:2_700] == "1.1").all()


def _frame(n: int, seed: int) -> pd.DataFrame:
    X, _ = spend(seed)
    X = X[np.random.default_rng(seed).choice(len(X), n)]
    return pd.DataFrame({"customer_id": [f"c{i:05d}" for i in range(n)], "a": X[:, 0], "b": X[:, 1],
                         "c": np.random.default_rng(seed).gamma(1.0, 0.1, n)})


def test_parallel_fits_equal_serial_fits_and_log_progress(monkeypatch, caplog):
    features = _frame(4_000, 2)
    meta = {**META, "axes": {"main": ["a", "b"], "returns": ["c"]}, "methods": ["fcm", "gmm"],
            "fit_sample_size": 800}
    serial = pipeline.segmentation_table(features, {**meta, "n_jobs": 1}, model="m")
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1_000)
    with caplog.at_level(logging.INFO, logger="cluster_marts"):
        parallel = pipeline.segmentation_table(features, {**meta, "n_jobs": 2}, model="m")
    # equal but for the settings record (n_jobs 1 vs 2), row for row
    assert parallel.drop_columns(["record"]).equals(serial.drop_columns(["record"]))
    records = [[json.loads(r) if r else None for r in t.column("record").to_pylist()] for t in (serial, parallel)]
    for r in (r for rs in records for r in rs if r):
        r.pop("settings_json", None)
    assert records[0] == records[1]
    messages = [r.getMessage() for r in caplog.records if r.name == "cluster_marts"]
    ids = [line for line in messages if " segment ids " in line]  # one per fit: which ids, kept or afresh
    assert len(ids) == 4 and all(line.endswith("ids numbered afresh") for line in ids), ids
    lines = [line for line in messages if line not in ids]
    assert [line.split(":")[0] for line in lines] == ["main/fcm", "main/gmm", "returns/fcm", "returns/gmm"]
    assert all(" on 800 of 4,000 rows" in line and "[" in line for line in lines), lines


def test_reference_model_is_the_segmentation_fcm_fit_on_its_sample():
    """Same sample, k and centres as the segmentation's fcm fit: one fit, published, not refitted."""
    features = _frame(3_000, 4)
    meta = {**META, "methods": ["fcm"], "fit_sample_size": 500}
    reference = reference_model(features, meta, model="m")
    fit = pipeline.segment_all(features, meta, model="m").results[0]
    centers = reference.pivot(index="segment_id", columns="feature", values="center_scaled")[["a", "b"]]
    np.testing.assert_array_equal(centers.to_numpy(), fit.centers)
    assert reference["n_samples"].eq(3_000).all() and reference["run_id"].eq(fit.run_id).all()
