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
from cluster_marts.lapse.model import INPUT_SETS, LapseModel, bgnbd_no_order, cadence_prior

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
    # the warehouse hands rows over in no set order: sort them, so the fits (and the scores) are a function of
    # the rows alone, the same on every build and on every engine
    features = features.sort_values(KEYS, kind="stable").reset_index(drop=True)
    outcomes = outcomes.sort_values(KEYS, kind="stable").reset_index(drop=True)
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
            out["score_inputs"], out["validation_auc"] = None, np.nan
            out["n_training_rows"], out["training_lapse_rate"] = 0, np.nan
        else:
            chosen, auc = (inputs, np.nan) if inputs != "choose" else choose_inputs(
                labelled[labelled["snapshot_type"] == snapshot_type], as_of_at, settings)
            fitted = _model(settings, horizon, chosen).fit(known, known["lapsed"])
            out["lapse_score"] = fitted.predict_proba_lapse(rows)
            out["score_method"], out["score_inputs"], out["validation_auc"] = "fitted", chosen, auc
            out["n_training_rows"] = fitted.n_training_rows_
            out["training_lapse_rate"] = fitted.base_rate_
        parts.append(out)
    if not parts:
        raise InputDataError(f"model {model}: no snapshot features to score (int_customer_snapshot_features "
                             "is empty: are snapshots enabled and is there an order before the first snapshot?)")
    scored = pd.concat(parts, ignore_index=True)
    scored["n_training_rows"] = scored["n_training_rows"].astype("int64")
    return scored.sort_values(KEYS, kind="stable").reset_index(drop=True)


def _model(settings: Mapping[str, Any], horizon: int, inputs: str) -> LapseModel:
    return LapseModel(horizon_days=horizon, inputs=INPUT_SETS[inputs], C=float(settings.get("C", 1.0)),
                      max_training_rows=int(settings.get("max_training_rows", 200_000)),
                      random_state=int(settings.get("random_state", 0)))


def choose_inputs(labelled: pd.DataFrame, as_of_at: Any, settings: Mapping[str, Any] | None = None
                  ) -> tuple[str, float]:
    """The input set (a key of :data:`INPUT_SETS`) to score the snapshot at ``as_of_at`` with, and its AUC.

    The validation snapshot is the latest one of ``labelled`` whose outcome was known at ``as_of_at``;
    each candidate is fitted on the snapshots whose outcome was known by the validation snapshot's own
    moment (so it never sees the validation outcomes) and scored there by ROC AUC. Ties, a validation
    snapshot with one outcome only, or no earlier outcome to fit on choose ``bgnbd`` (the fewer inputs).
    """
    settings = dict(settings or {})
    horizon = int(settings.get("horizon_days", 90))
    known = labelled[labelled["outcome_known_at"] <= as_of_at]
    if known.empty:
        return "bgnbd", np.nan
    validation_at = known["as_of_at"].max()
    validation = known[known["as_of_at"] == validation_at]
    training = known[known["outcome_known_at"] <= validation_at]
    if training.empty or validation["lapsed"].nunique() < 2:
        return "bgnbd", np.nan
    aucs = {name: float(roc_auc_score(validation["lapsed"].astype(bool),
                                      _model(settings, horizon, name).fit(training, training["lapsed"])
                                      .predict_proba_lapse(validation)))
            for name in sorted(INPUT_SETS, key=lambda name: len(INPUT_SETS[name]))}
    best = max(aucs, key=aucs.get)  # the first (fewest inputs) among equals
    return best, aucs[best]
