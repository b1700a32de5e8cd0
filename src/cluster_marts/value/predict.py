"""Expected orders and spend per customer over a horizon: MBG/NBD for purchase days, Gamma-Gamma for value.

:func:`customer_value` fits both models on one population of histories (one as-of date, or one snapshot)
and predicts every customer of it:

- ``expected_orders``: expected purchase days in the next ``horizon_days`` (MBG/NBD);
- ``p_alive``: MBG/NBD's probability that the customer is still alive (below 1 for one-order customers);
- ``expected_avg_order_value``: Gamma-Gamma's expected mean value of a purchase day (the population mean for
  a customer without a repeat purchase day);
- ``expected_spend``: ``expected_orders * expected_avg_order_value``, gross and undiscounted.

Both models are fitted on a seeded sample of at most ``sample_size`` customers (all of them below it) and
score everyone, so the figures are a function of the rows and the seed. A population the models cannot be
fitted on (no repeat purchase day, fewer than two customers with a repeat value) gets null figures and
``model = 'not_fitted'`` rather than failing the build.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cluster_marts.errors import InputDataError
from cluster_marts.value.gammagamma import GammaGamma
from cluster_marts.value.mbgnbd import MBGNBD

__all__ = ["HISTORY_COLUMNS", "MODEL_NAME", "VALUE_COLUMNS", "customer_value"]

#: the history columns :func:`customer_value` reads (days; one purchase per customer-day)
HISTORY_COLUMNS = ("repeat_days", "days_first_to_last", "days_since_first", "repeat_day_value")
VALUE_COLUMNS = ("expected_orders", "expected_spend", "p_alive", "expected_avg_order_value")
MODEL_NAME = "mbgnbd_gamma_gamma"
SAMPLE_SIZE = 50_000


def customer_value(history: pd.DataFrame, horizons: Sequence[float] = (365,), *, random_state: int = 0,
                   sample_size: int = SAMPLE_SIZE, model: str = "(unnamed)") -> pd.DataFrame:
    """One row per row of ``history`` and horizon: :data:`VALUE_COLUMNS`, ``horizon_days`` and ``model``.

    ``history`` has :data:`HISTORY_COLUMNS`: ``repeat_days`` (x), ``days_first_to_last`` (t_x),
    ``days_since_first`` (T) and ``repeat_day_value`` (mean spend of the repeat purchase days; null when
    x = 0). Other columns (keys) are passed through in front, rows in their order, horizon after horizon;
    one fit serves every horizon.
    """
    missing = [column for column in HISTORY_COLUMNS if column not in history.columns]
    if missing:
        raise InputDataError(f"model {model}: customer value needs column(s) {', '.join(missing)}")
    horizons = [float(h) for h in horizons]
    if not horizons or not all(np.isfinite(h) and h > 0 for h in horizons):
        raise InputDataError(f"model {model}: every value horizon must be a positive number of days, "
                             f"got {horizons!r}")
    keys = history.drop(columns=list(HISTORY_COLUMNS)).reset_index(drop=True)
    x = history["repeat_days"].astype(float).to_numpy()
    T = history["days_since_first"].astype(float).to_numpy()
    t_x = np.where(x > 0, np.clip(history["days_first_to_last"].astype(float).to_numpy(), 0.0, T), 0.0)
    m = history["repeat_day_value"].astype(float).to_numpy()
    rows = np.arange(len(x))
    if len(x) > sample_size:
        rows = np.sort(np.random.default_rng(random_state).choice(len(x), sample_size, replace=False))
    try:
        counts = MBGNBD().fit(x[rows], t_x[rows], T[rows])
        spend = GammaGamma().fit(x[rows], m[rows])
    except (InputDataError, FloatingPointError, ArithmeticError):
        counts = spend = None
    parts = []
    for horizon in horizons:
        out = keys.copy()
        if counts is None:
            for column in VALUE_COLUMNS:
                out[column] = np.nan
        else:
            out["expected_orders"] = counts.expected_purchases(horizon, x, t_x, T)
            out["expected_avg_order_value"] = spend.expected_mean_value(x, m)
            out["expected_spend"] = out["expected_orders"] * out["expected_avg_order_value"]
            out["p_alive"] = counts.p_alive(x, t_x, T)
        out["horizon_days"] = int(round(horizon))
        out["model"] = "not_fitted" if counts is None else MODEL_NAME
        parts.append(out[[*keys.columns, *VALUE_COLUMNS, "horizon_days", "model"]])
    return pd.concat(parts, ignore_index=True)
