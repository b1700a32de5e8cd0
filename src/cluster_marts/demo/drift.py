"""Planted behaviour drift of the customers demo: a known set of customers lapses.

The data is synthetic. A seeded set of *drifters* is chosen among the
``super_engaged`` and ``enterprise`` customers whose first order falls in the
first :data:`ELIGIBLE_START_MONTHS` months of the window: :func:`n_drifters`
of them (3 % of all customers, capped by the eligible pool; small scale: 60).
Each drifter *lapses*: their rate curve (:func:`cluster_marts.demo.customers.rate_curves`)
drops to 0 from a drift month drawn uniformly in :data:`DRIFT_MONTHS`
(2026-06 .. 2026-09 of the 2024-11 .. 2026-10 window), so at least two monthly
snapshots (2026-10-01 and 2026-11-01 for the latest drift month) see the lapse.

How it is planted: the orders are drawn from the *undrifted* curves exactly as
without drift, then a drifter's orders in the zeroed months are dropped
(:meth:`Drift.keep`). By Poisson thinning the number of a drifter's orders
is then Poisson with the drifted curve's total and their months follow the
drifted curve, i.e. the same law as drawing from :func:`drifted_curves`, while
the main random stream, and with it every other customer's orders, stays
identical to a run without drift. The drifters and drift months come from
their own generator (:func:`choose_drifters`), seeded from the demo seed.

The answer is ``demo_truth_drift.parquet`` (:func:`truth_table`): one row per
customer with ``customer_id``, ``is_drifter``, ``persona``, ``drift_start``
(date, first day of the lapse month; null for non-drifters) and
``drift_kind`` (``"lapsing"``; null for non-drifters). Only tests read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

__all__ = [
    "DRIFT_SHARE", "DRIFT_PERSONAS", "ELIGIBLE_START_MONTHS", "DRIFT_MONTHS", "DRIFT_KIND", "TRUTH_SCHEMA",
    "Drift", "n_drifters", "choose_drifters", "drifted_curves", "truth_table",
]

DRIFT_SHARE = 0.03                                  # drifters per customer (capped by the eligible pool)
DRIFT_PERSONAS: tuple[str, ...] = ("super_engaged", "enterprise")
ELIGIBLE_START_MONTHS = 12                          # first order in months 0..11 (2024-11 .. 2025-10)
DRIFT_MONTHS = (19, 22)                             # inclusive range of lapse months (2026-06 .. 2026-09)
DRIFT_KIND = "lapsing"
_STREAM = 0xD21F7                                   # salt of the drift generator: independent of the main one

TRUTH_SCHEMA = pa.schema([
    ("customer_id", pa.string()),
    ("is_drifter", pa.bool_()),
    ("persona", pa.string()),
    ("drift_start", pa.date32()),
    ("drift_kind", pa.string()),
])


@dataclass(frozen=True, eq=False)
class Drift:
    """The planted drift of one demo run.

    Attributes
    ----------
    is_drifter : ndarray of bool, shape (n_customers,)
    start_month : ndarray of int64, shape (n_customers,)
        Index (0..23) of the first lapsed month; ``-1`` for non-drifters.
    month_start : ndarray of int64, shape (25,)
        Day offsets of the first day of each window month, plus the day after the window.
    """

    is_drifter: np.ndarray
    start_month: np.ndarray
    month_start: np.ndarray

    @property
    def start_day(self) -> np.ndarray:
        """Day offset of the first lapsed day; the day after the window for non-drifters."""
        return np.where(self.is_drifter, self.month_start[np.maximum(self.start_month, 0)], self.month_start[-1])

    def keep(self, owner: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Mask of the orders (customer index ``owner``, day offset ``day``) that survive the lapse.

        An order is dropped when its month has rate 0 in :func:`drifted_curves` but not in the
        original curve, i.e. when its customer drifts and it falls on or after the drift start.
        """
        return day < self.start_day[owner]


def n_drifters(n_customers: int, n_eligible: int) -> int:
    """``round(DRIFT_SHARE * n_customers)`` capped by the eligible pool (small scale: 60).

    Examples
    --------
    >>> n_drifters(2_000, 150), n_drifters(2_000, 40)
    (60, 40)
    """
    return int(min(round(DRIFT_SHARE * n_customers), n_eligible))


def choose_drifters(personas: np.ndarray, start_day: np.ndarray, month_start: np.ndarray, seed: int,
                    enabled: bool = True) -> Drift:
    """Choose the drifters and their lapse months with a generator of their own.

    Parameters
    ----------
    personas : ndarray of str, shape (n_customers,)
    start_day : ndarray of int, shape (n_customers,)
        Day offset of each customer's first order.
    month_start : ndarray of int64, shape (n_months + 1,)
        Day offsets of the first day of each month, plus the day after the window.
    seed : int
        The demo seed; the drift generator is ``default_rng([_STREAM, seed])``.
    enabled : bool, default=True
        False gives no drifters (the generator as before the drift was planted).

    Returns
    -------
    Drift
    """
    n = personas.size
    is_drifter = np.zeros(n, dtype=bool)
    start_month = np.full(n, -1, dtype=np.int64)
    if enabled:
        eligible = np.flatnonzero(np.isin(personas, DRIFT_PERSONAS)
                                  & (start_day < month_start[ELIGIBLE_START_MONTHS]))
        rng = np.random.default_rng([_STREAM, seed])
        chosen = np.sort(rng.choice(eligible, n_drifters(n, eligible.size), replace=False))
        is_drifter[chosen] = True
        start_month[chosen] = rng.integers(DRIFT_MONTHS[0], DRIFT_MONTHS[1] + 1, chosen.size)
    return Drift(is_drifter, start_month, np.asarray(month_start, dtype=np.int64))


def drifted_curves(rates: np.ndarray, drift: Drift) -> np.ndarray:
    """The rate curves with every drifter's months from the drift month on set to 0.

    The orders follow this law (see the module docstring); the generator draws from the
    original ``rates`` and thins them with :meth:`Drift.keep` to keep its random stream.
    """
    lapsed = drift.is_drifter[:, None] & (np.arange(rates.shape[1])[None, :] >= drift.start_month[:, None])
    return np.where(lapsed, 0.0, rates)


def truth_table(ids: np.ndarray, personas: np.ndarray, drift: Drift, first_day: np.datetime64) -> pa.Table:
    """``demo_truth_drift``: one row per customer (:data:`TRUTH_SCHEMA`)."""
    start = (np.datetime64(first_day, "D") + drift.start_day).astype("datetime64[D]")
    return pa.table({
        "customer_id": pa.array(ids, pa.string()),
        "is_drifter": pa.array(drift.is_drifter, pa.bool_()),
        "persona": pa.array(personas, pa.string()),
        "drift_start": pa.array(start, pa.date32(), mask=~drift.is_drifter),
        "drift_kind": pa.array(np.where(drift.is_drifter, DRIFT_KIND, None), pa.string()),
    }, schema=TRUTH_SCHEMA)
