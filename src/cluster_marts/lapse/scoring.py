"""Score every snapshot with a model that knows only what was known at that snapshot.

For a snapshot taken at time s, the model is fitted on the earlier snapshots whose outcome window
(``horizon_days`` after them) had closed by s; it never sees an order placed after s, so a past
snapshot's score is what the model would have said on that day.

Which inputs the model uses is itself chosen on data known at s (:func:`choose_inputs`): each candidate of
:data:`~cluster_marts.lapse.model.INPUT_SETS` (every input, or the BG/NBD probability alone) is fitted on
the snapshots whose outcome was known by the latest closed snapshot, scored on that snapshot by ROC AUC,
and the better one is refitted on everything known. When the customer's own rhythm and drift add nothing
to BG/NBD on the data at hand, the score is a calibrated BG/NBD; when they do, they are used.

Every snapshot also gets the BG/NBD
probability of no order, fitted on that snapshot's histories alone (an input of the model); before any
outcome is known it is the score (``bgnbd``), or the cadence prior
(:func:`~cluster_marts.lapse.model.cadence_prior`) when BG/NBD cannot be fitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.lapse.model import INPUT_SETS, LapseModel, bgnbd_no_order, cadence_prior, sample_rows

__all__ = ["KEYS", "choose_inputs", "score_snapshots"]

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
        ``horizon_days`` (90), ``C`` (1.0), ``max_training_rows`` (200000), ``random_state`` (0),
        ``inputs`` (``choose``: validated per snapshot by :func:`choose_inputs`; or a key of
        :data:`~cluster_marts.lapse.model.INPUT_SETS` to fix it).

    Returns
    -------
    DataFrame
        :data:`KEYS`, ``lapse_score``, ``score_method`` (``fitted`` | ``bgnbd`` | ``cadence_prior``),
        ``score_inputs`` (the input set of a fitted score, else null), ``validation_auc`` (its AUC on the
        validation snapshot; null when the inputs are fixed or there was nothing to validate on),
        ``n_training_rows``, ``training_lapse_rate``.
    """
    settings = dict(settings or {})
    horizon = int(settings.get("horizon_days", 90))
    missing = [c for c in [*KEYS, "as_of_at"] if c not in features.columns]
    missing += [f"outcomes.{c}" for c in [*KEYS, "lapsed", "outcome_known_at"] if c not in outcomes.columns]
    if missing:
        raise InputDataError(f"model {model}: missing column(s) {', '.join(missing)}")
    seed = int(settings.get("random_state", 0))
    inputs = str(settings.get("inputs", "choose"))
    if inputs != "choose" and inputs not in INPUT_SETS:
        raise SettingsError(f"model {model}: setting inputs must be choose or one of {', '.join(INPUT_SETS)}, "
                            f"got {inputs!r}")
    # the warehouse hands rows over in no set order: sort them (unless they come sorted), so the fits (and the
    # scores) are a function of the rows alone, the same on every build and on every engine
    features = _sorted(features)
    outcomes = outcomes[[*KEYS, "lapsed", "outcome_known_at"]].astype({"lapsed": "float64"})
    # one frame: a snapshot whose outcome is not known yet has a null outcome_known_at (and lapsed)
    features = features.merge(outcomes, on=KEYS, how="left")
    known_at = features["outcome_known_at"].to_numpy()
    snapshots = features.groupby(["snapshot_type", "as_of_at"], sort=True).indices
    if not snapshots:
        raise InputDataError(f"model {model}: no snapshot features to score (int_customer_snapshot_features "
                             "is empty: are snapshots enabled and is there an order before the first snapshot?)")
    features["bgnbd_no_order"] = np.nan
    for rows in snapshots.values():
        features.iloc[rows, features.columns.get_loc("bgnbd_no_order")] = bgnbd_no_order(
            features.iloc[rows], horizon, seed)
    scored = features[KEYS].copy()
    score, auc_of = np.empty(len(features)), np.full(len(features), np.nan)
    method, used = np.empty(len(features), dtype=object), np.full(len(features), None, dtype=object)
    n_rows, rate = np.zeros(len(features), dtype="int64"), np.full(len(features), np.nan)
    of_type = {kind: (features["snapshot_type"] == kind).to_numpy() for kind in {kind for kind, _ in snapshots}}
    for (snapshot_type, as_of_at), rows in snapshots.items():
        known = np.flatnonzero(of_type[snapshot_type] & (known_at <= as_of_at))
        snapshot = features.iloc[rows]
        if len(known) == 0:
            prior = snapshot["bgnbd_no_order"].to_numpy()
            score[rows] = np.where(np.isnan(prior), cadence_prior(snapshot, horizon), prior)
            method[rows] = np.where(np.isnan(prior), "cadence_prior", "bgnbd")
            continue
        chosen, auc = (inputs, np.nan) if inputs != "choose" else choose_inputs(
            features, as_of_at, settings, snapshot_type=snapshot_type)
        fitted = _fit(features, known, settings, horizon, chosen)
        score[rows] = fitted.predict_proba_lapse(snapshot)
        method[rows], used[rows], auc_of[rows] = "fitted", chosen, auc
        n_rows[rows], rate[rows] = fitted.n_training_rows_, fitted.base_rate_
    scored["lapse_score"], scored["score_method"], scored["score_inputs"] = score, method, used
    scored["validation_auc"], scored["n_training_rows"], scored["training_lapse_rate"] = auc_of, n_rows, rate
    return scored


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in :data:`KEYS` order with a fresh index (no copy when it already is)."""
    if pd.MultiIndex.from_frame(frame[KEYS]).is_monotonic_increasing:
        return frame.reset_index(drop=True)
    return frame.sort_values(KEYS, kind="stable", ignore_index=True)


def _fit(labelled: pd.DataFrame, rows: np.ndarray, settings: Mapping[str, Any], horizon: int, inputs: str
         ) -> LapseModel:
    """The model fitted on ``labelled``'s rows at positions ``rows``, sampled as the model would before they
    are copied out (a late snapshot knows the outcomes of most of the history)."""
    model = _model(settings, horizon, inputs)
    training = labelled.iloc[rows[sample_rows(len(rows), model.max_training_rows, model.random_state)]]
    return model.fit(training, training["lapsed"])


def _model(settings: Mapping[str, Any], horizon: int, inputs: str) -> LapseModel:
    return LapseModel(horizon_days=horizon, inputs=INPUT_SETS[inputs], C=float(settings.get("C", 1.0)),
                      max_training_rows=int(settings.get("max_training_rows", 200_000)),
                      random_state=int(settings.get("random_state", 0)))


def choose_inputs(labelled: pd.DataFrame, as_of_at: Any, settings: Mapping[str, Any] | None = None, *,
                  snapshot_type: str | None = None) -> tuple[str, float]:
    """The input set (a key of :data:`INPUT_SETS`) to score the snapshot at ``as_of_at`` with, and its AUC.

    ``labelled`` holds snapshots with ``lapsed`` and ``outcome_known_at`` (null where the outcome is not
    known yet; only rows of ``snapshot_type`` count when it is given). The validation snapshot is the latest
    one whose outcome was known at ``as_of_at``; each candidate is fitted on the snapshots whose outcome was
    known by the validation snapshot's own moment (so it never sees the validation outcomes) and scored
    there by ROC AUC. Ties, a validation snapshot with one outcome only, or no earlier outcome to fit on
    choose ``bgnbd`` (the fewer inputs).
    """
    settings = dict(settings or {})
    horizon = int(settings.get("horizon_days", 90))
    known_at, taken_at = labelled["outcome_known_at"].to_numpy(), labelled["as_of_at"].to_numpy()
    counted = np.ones(len(labelled), dtype=bool) if snapshot_type is None else (
        labelled["snapshot_type"] == snapshot_type).to_numpy()
    known = counted & (known_at <= as_of_at)
    if not known.any():
        return "bgnbd", np.nan
    validation_at = taken_at[known].max()
    validation = labelled.iloc[np.flatnonzero(known & (taken_at == validation_at))]
    training = np.flatnonzero(counted & (known_at <= validation_at))
    if len(training) == 0 or validation["lapsed"].nunique() < 2:
        return "bgnbd", np.nan
    aucs = {name: float(roc_auc_score(validation["lapsed"].astype(bool),
                                      _fit(labelled, training, settings, horizon, name)
                                      .predict_proba_lapse(validation)))
            for name in sorted(INPUT_SETS, key=lambda name: len(INPUT_SETS[name]))}
    best = max(aucs, key=aucs.get)  # the first (fewest inputs) among equals
    return best, aucs[best]
