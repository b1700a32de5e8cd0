"""The engine on Spark DataFrames: fit on a seeded sample on the driver, score every row on the executors.

:func:`fit_axis_on_spark` reads one axis's feature columns of a Spark DataFrame, rows in id order as the
DuckDB path reads them, and fits with the engine's own :func:`~cluster_marts.adapters.customers.core.fit_axis`:
the same stratified, seeded fit sample, the same estimator and k selection, the same canonical segment
ids, so the fit is identical to the DuckDB run's. Only the axis's numbers cross to the driver
(8 bytes per feature and row); the fit itself sees the sample.

:func:`score_on_spark` then scores every row where the data are: ``mapInPandas`` ships the fitted scaler,
estimator and canonical order to the executors, each partition is scaled and scored with
``predict_memberships`` (``transform`` for the distances), and the result is a Spark DataFrame of
``id, segment_id, max_membership, memberships`` (canonical columns). Scoring, the part that grows with
the customers, scales with the cluster.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.preprocessing.scaling import ScalerParams, transform

__all__ = ["SCORE_SCHEMA", "FittedScorer", "fit_axis_on_spark", "score_on_spark", "score_partition"]

SCORE_SCHEMA = "id string, segment_id int, max_membership double, memberships array<double>"


@dataclass(frozen=True)
class FittedScorer:
    """What the executors need to score a row: the scaler, the estimator and the canonical column order."""

    scaler: ScalerParams
    estimator: Any
    order: np.ndarray
    features: tuple[str, ...]

    @classmethod
    def from_fit(cls, fit: Any, features: Sequence[str]) -> FittedScorer:
        """From an :class:`~cluster_marts.adapters.customers.core.AxisFit`."""
        return cls(fit.scaler, fit.estimator, np.asarray(fit.order), tuple(features))


def score_partition(frame: pd.DataFrame, scorer: FittedScorer, id_column: str) -> pd.DataFrame:
    """Score one partition (a pandas frame with ``id_column`` and the scorer's features)."""
    if frame.empty:  # an empty partition: the estimators refuse zero rows
        return pd.DataFrame({"id": pd.Series(dtype=str), "segment_id": pd.Series(dtype=np.int32),
                             "max_membership": pd.Series(dtype=np.float64), "memberships": pd.Series(dtype=object)})
    X = frame[list(scorer.features)].to_numpy(dtype=np.float64)
    memberships = scorer.estimator.predict_memberships(transform(X, scorer.scaler))[:, scorer.order]
    labels = memberships.argmax(axis=1)
    return pd.DataFrame({
        "id": frame[id_column].astype(str).to_numpy(),
        "segment_id": labels.astype(np.int32),
        "max_membership": memberships[np.arange(len(frame)), labels],
        "memberships": list(memberships),
    })


def score_on_spark(frame: Any, scorer: FittedScorer, id_column: str) -> Any:
    """Every row of the Spark DataFrame ``frame`` scored on the executors (module docstring)."""
    columns = [id_column, *scorer.features]

    def score(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            yield score_partition(batch, scorer, id_column)

    return frame.select(*columns).mapInPandas(score, schema=SCORE_SCHEMA)


def fit_axis_on_spark(frame: Any, id_column: str, settings: Any, axis: str, method: str,
                      model: str = "spark") -> tuple[Any, FittedScorer]:
    """Fit one axis and method of a Spark DataFrame of customer features; returns the fit and its scorer."""
    from cluster_marts.adapters.customers.core import fit_axis

    features = tuple(settings.features_of(axis))
    local = frame.select(id_column, *features).orderBy(id_column).toPandas()
    fit = fit_axis(local[list(features)].to_numpy(dtype=np.float64), settings, axis, method, model, features)
    return fit, FittedScorer.from_fit(fit, features)
