"""The engine on Spark DataFrames: the fit is the DuckDB path's fit, and every row scored on the executors
gets exactly the segment the driver gives it; the segments recover planted structure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from cluster_marts.config.segmentation import segmentation_settings_from_meta
from cluster_marts.spark.scoring import FittedScorer, fit_axis_on_spark, score_on_spark, score_partition


def _blobs(seed: int, n: int = 3000) -> tuple[pd.DataFrame, np.ndarray]:
    """Three planted groups of customers on two features, ids shuffled."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, n)
    centres = np.array([[0.0, 0.0], [6.0, 1.0], [2.0, 7.0]])
    X = centres[truth] + rng.normal(0, 0.8, (n, 2))
    ids = [f"C{i:06d}" for i in rng.permutation(n)]
    return pd.DataFrame({"customer_id": ids, "f1": X[:, 0], "f2": X[:, 1]}), truth


def _settings(method: str, sample: int):
    return segmentation_settings_from_meta({
        "id_column": "customer_id", "axes": {"shape": ["f1", "f2"]}, "methods": [method], "scaling": "standard",
        "k_min": 2, "k_max": 5, "selection_rule": "silhouette", "random_state": 7, "fit_sample_size": sample,
        "silhouette_sample_size": 1000}, model="test")


@pytest.mark.parametrize("seed", [0, 11])
@pytest.mark.parametrize("method", ["fcm", "gmm"])
def test_spark_scoring_equals_the_driver_and_recovers_the_plant(spark, seed, method):
    frame, truth = _blobs(seed)
    settings = _settings(method, sample=800)  # the fit sees 800 of 3,000 rows; every row is scored
    fit, scorer = fit_axis_on_spark(spark.createDataFrame(frame).repartition(3), "customer_id", settings,
                                    "shape", method)
    scored = score_on_spark(spark.createDataFrame(frame).repartition(4), scorer, "customer_id").toPandas()
    by_id = frame.sort_values("customer_id").reset_index(drop=True)
    scored = scored.set_index("id").loc[by_id["customer_id"]]
    assert len(scored) == len(frame) and fit.sample.size == 800
    np.testing.assert_array_equal(scored["segment_id"].to_numpy(), fit.labels)  # executors == driver
    np.testing.assert_allclose(np.stack(scored["memberships"].to_numpy()), fit.memberships, rtol=0, atol=1e-12)
    planted = truth[np.argsort(frame["customer_id"].to_numpy())]
    assert fit.k_grid.loc[fit.k_grid["is_chosen"], "k"].item() == 3
    assert adjusted_rand_score(planted, scored["segment_id"]) > 0.95


def test_kmeans_scores_one_hot_and_equal_to_predict(spark):
    from cluster_marts.algorithms.registry import make_estimator
    from cluster_marts.preprocessing.scaling import fit_scaler, transform

    frame, truth = _blobs(3)
    X = frame[["f1", "f2"]].to_numpy()
    scaler = fit_scaler(X, "standard", ("f1", "f2"))
    estimator = make_estimator("kmeans", 3, random_state=0).fit(transform(X, scaler))
    scorer = FittedScorer(scaler, estimator, np.arange(3), ("f1", "f2"))
    scored = score_on_spark(spark.createDataFrame(frame), scorer, "customer_id").toPandas().set_index("id")
    expected = estimator.predict(transform(X, scaler))
    np.testing.assert_array_equal(scored.loc[frame["customer_id"], "segment_id"].to_numpy(), expected)
    assert set(scored["max_membership"]) == {1.0}
    assert adjusted_rand_score(truth, expected) > 0.95


def test_an_empty_partition_scores_to_no_rows():
    frame, _ = _blobs(1, n=150)
    settings = _settings("fcm", sample=150)
    from cluster_marts.adapters.customers.core import fit_axis

    fit = fit_axis(frame[["f1", "f2"]].to_numpy(), settings, "shape", "fcm", "test", ("f1", "f2"))
    out = score_partition(frame.iloc[:0], FittedScorer.from_fit(fit, ("f1", "f2")), "customer_id")
    assert list(out.columns) == ["id", "segment_id", "max_membership", "memberships"] and len(out) == 0
