"""Score every snapshot with a model that knows only what was known at that snapshot.

For a snapshot taken at time s, the model is fitted on the earlier snapshots whose outcome window
(``horizon_days`` after them) had closed by s; it never sees an order placed after s, so a past
snapshot's score is what the model would have said on that day. Every snapshot also gets the BG/NBD
probability of no order, fitted on that snapshot's histories alone (an input of the model); before any
outcome is known it is the score (``bgnbd``), or the cadence prior
(:func:`~cluster_marts.lapse.model.cadence_prior`) when BG/NBD cannot be fitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.errors import InputDataError
from cluster_marts.lapse.model import LapseModel, bgnbd_no_order, cadence_prior

__all__ = ["KEYS", "score_snapshots"]

KEYS = ["customer_id", "snapshot_type", "snapshot_date"]


def score_snapshots(features: pd.DataFrame, outcomes: pd.DataFrame, settings: Mapping[str, Any] | None = None,
                    *, model: str = "(unnamed)") -> pd.DataFrame:
    """One score per row of ``features``.

    Parameters
    ----------
    features : DataFrame
        Point-in-time snapshot features: :data:`KEYS`, ``as_of_at`` (the snapshot's moment) and the
        inputs of :func:`~cluster_marts.lapse.model.lapse_inputs`.
    outcomes : DataFrame
        :data:`KEYS`, ``lapsed`` (no order within the horizon after the snapshot) and
        ``outcome_known_at`` (the snapshot's moment + the horizon), for snapshots whose window closed.
    settings : mapping, optional
        ``horizon_days`` (90), ``C`` (1.0), ``max_training_rows`` (200000), ``random_state`` (0).

    Returns
    -------
    DataFrame
        :data:`KEYS`, ``lapse_score``, ``score_method`` (``fitted`` | ``bgnbd`` | ``cadence_prior``),
        ``n_training_rows``, ``training_lapse_rate``.
    """
    settings = dict(settings or {})
    horizon = int(settings.get("horizon_days", 90))
    missing = [c for c in [*KEYS, "as_of_at"] if c not in features.columns]
    missing += [f"outcomes.{c}" for c in [*KEYS, "lapsed", "outcome_known_at"] if c not in outcomes.columns]
    if missing:
        raise InputDataError(f"model {model}: missing column(s) {', '.join(missing)}")
    seed = int(settings.get("random_state", 0))
    features = features.copy()
    features["bgnbd_no_order"] = np.nan
    for _, rows in features.groupby(["snapshot_type", "as_of_at"], sort=True):
        features.loc[rows.index, "bgnbd_no_order"] = bgnbd_no_order(rows, horizon, seed)
    labelled = features.merge(outcomes[[*KEYS, "lapsed", "outcome_known_at"]], on=KEYS, how="inner")
    parts = []
    for (snapshot_type, as_of_at), rows in features.groupby(["snapshot_type", "as_of_at"], sort=True):
        known = labelled[(labelled["snapshot_type"] == snapshot_type) & (labelled["outcome_known_at"] <= as_of_at)]
        out = rows[KEYS].copy()
        if known.empty:
            prior = rows["bgnbd_no_order"].to_numpy()
            out["lapse_score"] = np.where(np.isnan(prior), cadence_prior(rows, horizon), prior)
            out["score_method"] = np.where(np.isnan(prior), "cadence_prior", "bgnbd")
            out["n_training_rows"], out["training_lapse_rate"] = 0, np.nan
        else:
            fitted = LapseModel(horizon_days=horizon, C=float(settings.get("C", 1.0)),
                                max_training_rows=int(settings.get("max_training_rows", 200_000)),
                                random_state=int(settings.get("random_state", 0))).fit(known, known["lapsed"])
            out["lapse_score"] = fitted.predict_proba_lapse(rows)
            out["score_method"], out["n_training_rows"] = "fitted", fitted.n_training_rows_
            out["training_lapse_rate"] = fitted.base_rate_
        parts.append(out)
    if not parts:
        raise InputDataError(f"model {model}: no snapshot features to score (int_customer_snapshot_features "
                             "is empty: are snapshots enabled and is there an order before the first snapshot?)")
    scored = pd.concat(parts, ignore_index=True)
    scored["n_training_rows"] = scored["n_training_rows"].astype("int64")
    return scored.sort_values(KEYS, kind="stable").reset_index(drop=True)
