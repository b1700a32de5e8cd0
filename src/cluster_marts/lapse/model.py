"""Lapse score: the calibrated probability that a customer places no order in the next horizon.

A logistic regression on the customer's own cadence and recent behaviour, fitted on earlier snapshots
whose outcome is known (did the customer order within ``horizon_days`` of that snapshot?). The inputs
(:data:`LAPSE_INPUTS`, built by :func:`lapse_inputs` from the point-in-time snapshot features):

- ``log_recency``: log(1 + days since the last order);
- ``log_frequency``: log(orders so far);
- ``log_tenure``: log(1 + days since the first order);
- ``log_silence_ratio``: log(1 + days silent / usual gap), the usual gap (``usual_gap_days``, a column of
  the snapshot features computed once in SQL, macro ``customer_features_from``) being the mean days between
  the customer's orders (tenure for a one-order customer, at least 1 day): how far the silence is beyond
  their rhythm;
- ``silence_surprise``: days silent / usual gap capped at 20, i.e. -log of the chance that a customer
  ordering at random at their usual pace stays silent that long (Poisson);
- ``gap_irregularity``: std / mean of the gaps (1 with fewer than 3 orders);
- ``log_recent_orders``: log(1 + orders in the last 90 days);
- ``activity_drift``: the drift score of the customer's activity-axis memberships since the previous
  snapshot (0 when there is none);
- ``logit_bgnbd``: the logit of the BG/NBD probability of no order in the horizon, the model fitted on
  the same snapshot's purchase histories (:func:`bgnbd_no_order`; 0 when absent). The standard
  non-contractual baseline becomes one input among the customer's own rhythm.

Logistic loss makes the probabilities calibrated on the snapshots it was fitted on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from cluster_marts.errors import InputDataError, SettingsError

__all__ = ["INPUT_SETS", "LAPSE_INPUTS", "LapseModel", "bgnbd_no_order", "cadence_prior", "lapse_inputs",
           "sample_rows"]

LAPSE_INPUTS = ("log_recency", "log_frequency", "log_tenure", "log_silence_ratio", "silence_surprise",
                "gap_irregularity", "log_recent_orders", "activity_drift", "logit_bgnbd")
#: the candidate input sets :func:`~cluster_marts.lapse.scoring.score_snapshots` chooses between on a
#: validation snapshot: every input, or the BG/NBD probability alone (a calibration of the baseline)
INPUT_SETS: dict[str, tuple[str, ...]] = {"all": LAPSE_INPUTS, "bgnbd": ("logit_bgnbd",)}
#: customers of one snapshot the BG/NBD model is fitted on (a seeded sample above this)
BGNBD_SAMPLE = 50_000
REQUIRED = ("recency_days", "frequency", "tenure_days", "usual_gap_days", "avg_interpurchase_days",
            "std_interpurchase_days", "orders_last_90_days")


def lapse_inputs(features: pd.DataFrame, *, model: str = "(unnamed)") -> pd.DataFrame:
    """The model inputs (:data:`LAPSE_INPUTS`) from point-in-time customer features."""
    missing = [column for column in REQUIRED if column not in features.columns]
    if missing:
        raise InputDataError(f"model {model}: lapse inputs need column(s) {', '.join(missing)} of the snapshot "
                             "features (int_customer_snapshot_features)")
    recency = features["recency_days"].astype(float).clip(lower=0.0)
    frequency = features["frequency"].astype(float).clip(lower=1.0)
    ratio = recency / features["usual_gap_days"].astype(float)
    std = features["std_interpurchase_days"].astype(float)
    drift = features["activity_drift"] if "activity_drift" in features.columns else 0.0
    bgnbd = features["bgnbd_no_order"] if "bgnbd_no_order" in features.columns else 0.5
    return pd.DataFrame({
        "log_recency": np.log1p(recency),
        "log_frequency": np.log(frequency),
        "log_tenure": np.log1p(features["tenure_days"].astype(float).clip(lower=0.0)),
        "log_silence_ratio": np.log1p(ratio),
        "silence_surprise": ratio.clip(upper=20.0),
        "gap_irregularity": (std / features["avg_interpurchase_days"].astype(float)).fillna(1.0).clip(upper=5.0),
        "log_recent_orders": np.log1p(features["orders_last_90_days"].astype(float).clip(lower=0.0)),
        "activity_drift": pd.Series(drift, index=features.index, dtype=float).fillna(0.0),
        "logit_bgnbd": _logit(pd.Series(bgnbd, index=features.index, dtype=float).fillna(0.5)),
    }, index=features.index)


def _logit(p: pd.Series) -> pd.Series:
    p = p.clip(1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def bgnbd_no_order(features: pd.DataFrame, horizon_days: float, random_state: int = 0) -> np.ndarray:
    """BG/NBD P(no order in the next ``horizon_days``) per customer of one snapshot.

    Fitted on the snapshot's own purchase histories (repeat orders x = frequency - 1, t_x = days from
    the first to the last order, T = tenure; a seeded sample of :data:`BGNBD_SAMPLE` customers when
    larger), so it sees nothing after the snapshot. NaN when the fit fails (too few customers).
    """
    from cluster_marts.lapse.bgnbd import BGNBD

    tenure = features["tenure_days"].astype(float).clip(lower=0.0).to_numpy()
    recency = features["recency_days"].astype(float).clip(lower=0.0).to_numpy()
    x = (features["frequency"].astype(float) - 1.0).clip(lower=0.0).to_numpy()
    T = np.maximum(tenure, 1e-3)
    t_x = np.clip(tenure - recency, 0.0, T)
    fit_rows = np.arange(len(x))
    if len(x) > BGNBD_SAMPLE:
        fit_rows = np.sort(np.random.default_rng(random_state).choice(len(x), BGNBD_SAMPLE, replace=False))
    try:
        model = BGNBD().fit(x[fit_rows], t_x[fit_rows], T[fit_rows])
        return model.prob_no_purchase(horizon_days, x, t_x, T)
    except (ValueError, FloatingPointError, ArithmeticError):
        return np.full(len(x), np.nan)


def sample_rows(n: int, max_rows: int, random_state: int = 0) -> np.ndarray:
    """Positions of the rows a model trains on out of ``n``: all of them, or a seeded sample of ``max_rows``
    in their original order when there are more."""
    if n <= max_rows:
        return np.arange(n)
    return np.sort(np.random.default_rng(random_state).choice(n, max_rows, replace=False))


def cadence_prior(features: pd.DataFrame, horizon_days: float) -> np.ndarray:
    """P(no order in the horizon) for a customer ordering at random at their usual pace:
    exp(-horizon / usual gap). Used before any snapshot's outcome is known."""
    return np.exp(-horizon_days / features["usual_gap_days"].astype(float).to_numpy())


class LapseModel:
    """Logistic model of "no order in the next ``horizon_days``".

    Parameters
    ----------
    horizon_days : int, default=90
        The outcome window (documentation only: the labels carry it).
    inputs : tuple of str, default=LAPSE_INPUTS
        The columns of :func:`lapse_inputs` the regression uses (see :data:`INPUT_SETS`).
    C : float, default=1.0
        Inverse regularisation strength of the logistic regression.
    max_training_rows : int, default=200_000
        Larger training sets are subsampled (seeded) to this many rows.
    random_state : int, default=0

    Attributes
    ----------
    estimator_ : sklearn Pipeline (StandardScaler, LogisticRegression)
    n_training_rows_ : int
    base_rate_ : float
        Share of training rows without an order in the horizon.
    """

    def __init__(self, horizon_days: int = 90, inputs: tuple[str, ...] = LAPSE_INPUTS, C: float = 1.0,
                 max_training_rows: int = 200_000, random_state: int = 0):
        self.horizon_days = horizon_days
        self.inputs = inputs
        self.C = C
        self.max_training_rows = max_training_rows
        self.random_state = random_state

    def _check_params(self) -> None:
        if not (isinstance(self.horizon_days, int) and self.horizon_days >= 1):
            raise SettingsError(f"lapse horizon_days must be a positive integer, got {self.horizon_days!r}")
        unknown = [name for name in self.inputs if name not in LAPSE_INPUTS] if self.inputs else ["(none)"]
        if unknown:
            raise SettingsError(f"lapse inputs must be a non-empty subset of {', '.join(LAPSE_INPUTS)}; "
                                f"got {', '.join(unknown)}")
        if not (isinstance(self.C, int | float) and self.C > 0):
            raise SettingsError(f"lapse C must be a positive number, got {self.C!r}")
        if not (isinstance(self.max_training_rows, int) and self.max_training_rows >= 10):
            raise SettingsError(f"lapse max_training_rows must be an integer >= 10, got {self.max_training_rows!r}")

    def fit(self, features: pd.DataFrame, lapsed: np.ndarray | pd.Series) -> LapseModel:
        """Fit on point-in-time features and their outcome (True = no order within the horizon)."""
        self._check_params()
        y = np.asarray(lapsed, dtype=bool)
        if len(y) != len(features):
            raise InputDataError(f"lapse fit: {len(features)} feature rows but {len(y)} outcomes")
        keep = sample_rows(len(y), self.max_training_rows, self.random_state)
        X, y = lapse_inputs(features.iloc[keep])[list(self.inputs)].to_numpy(), y[keep]
        self.n_training_rows_ = int(len(y))
        self.base_rate_ = float(y.mean()) if len(y) else float("nan")
        if len(np.unique(y)) < 2:
            self.estimator_ = None  # one outcome only: predict the base rate
        else:
            self.estimator_ = make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=1000))
            self.estimator_.fit(X, y)
        return self

    def predict_proba_lapse(self, features: pd.DataFrame) -> np.ndarray:
        """P(no order within the horizon) per row."""
        if not hasattr(self, "n_training_rows_"):
            raise InputDataError("LapseModel is not fitted: call fit first")
        if self.estimator_ is None:
            return np.full(len(features), self.base_rate_)
        return self.estimator_.predict_proba(lapse_inputs(features)[list(self.inputs)].to_numpy())[:, 1]
