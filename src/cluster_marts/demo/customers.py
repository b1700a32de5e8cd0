"""Synthetic orders of an online sewing and craft shop with planted customer personas.

The data is synthetic: every customer is given a persona at random (seeded) and
their orders are drawn from that persona's order rate, basket, category mix,
return rate and timing, so the customer segmentation can be checked against a
known answer. Ids, figures and the shop are invented; none describe a real
business.

Window and tenure
-----------------
Orders fall in 2024-11-01 00:00 .. 2026-10-31 23:59:59 (24 months, 730 days;
naive timestamps, UTC). A customer's first order is on a start day drawn
uniformly: anywhere in the window for ``one_time`` customers, in the first 14
months (2024-11-01 .. 2025-12-31) for the repeat personas, so they have
history. Every later order is on a day strictly after the start day, so the
first order fixes the tenure.

Personas (long tail, like a real shop; shares of customers, rounded, the last
persona takes the remainder):

===============  =====  ================================  ===========  =========  =======  ======
persona          share  orders after the first one        amount       items      returns  timing
                                                          median (LN)  (1 + Poi)
===============  =====  ================================  ===========  =========  =======  ======
one_time         55 %   none (exactly 1 order)            35           0.3        12 %     leisure
occasional       22 %   1..3 (2..4 orders in all)         45           0.6         8 %     leisure
active_hobbyist  14 %   Poisson, ~1.4 per month of tenure 60           1.5         5 %     mixed
super_engaged     7 %   Poisson, ~8 per month of tenure   90           2.5         3 %     business
enterprise        2 %   Poisson, ~40 per month of tenure  400          12          2 %     business
===============  =====  ================================  ===========  =========  =======  ======

Small scale has 2 000 customers: 1 100 / 440 / 280 / 140 / 40.

* Order rate: each customer has a **rate curve**, the expected number of
  orders after the first one in each of the 24 months (:func:`rate_curves`):
  zero before the start day, the persona's monthly rate times a per-customer
  multiplier (lognormal, sigma 0.25) after it, pro rata in the start month.
  Poisson personas draw their number of later orders from the curve's total
  (at least 1, at most :data:`MAX_ORDERS_PER_CUSTOMER` in all); ``occasional``
  customers draw 1..3 uniformly. Either way the months of the later orders are
  drawn from the curve (inverse CDF), then a day in the month after the start
  day. Drift (:mod:`cluster_marts.demo.drift`): a known set of super-engaged
  and enterprise customers lapses, their curve drops to 0 from a month in
  2026-06 .. 2026-09; every other customer's orders are as without drift.
* Amount: lognormal around the persona median (sigma 0.5), rounded to cents,
  at least 0.50. Item count: ``1 + Poisson(lambda)``.
* Category (fabric, notions, patterns, tools, kits, books): drawn from the
  persona's mix (:data:`CATEGORY_MIX`): enterprise buys mostly fabric,
  hobbyists kits and patterns, ...
* Timing: each order is a *business* order (weekday only, 08:00..17:59, peak
  10..15) with the persona's business probability (:data:`BUSINESS_SHARE`:
  one_time 0.10, occasional 0.15, active_hobbyist 0.35, super_engaged 0.70,
  enterprise 0.85), else a *leisure* order (weekend days weighted 2.5x, hours
  peaking 19..21 with some daytime).

Files
-----
``customer_orders.parquet``
    ``order_id`` (``O-0000001`` .. in time order), ``customer_id``
    (``C-000001``), ``ordered_at`` (timestamp), ``amount`` (float64),
    ``item_count`` (int32), ``product_category``, ``is_returned``. The clean
    rows come sorted by ``ordered_at``; the planted bad rows
    (:func:`planted_counts`; small scale 3 / 3 / 2 / 2) are appended after them,
    each on its own customer (a repeat customer):

    * ``negative_amount``: an extra order (new ``order_id``) with a negative
      amount;
    * ``duplicates``: an exact copy of a clean row (same ``order_id``);
    * ``null_customer_id``: an extra order without a customer;
    * ``null_ordered_at``: an extra order whose timestamp is null (the
      Parquet column is typed, so "unparseable" arrives as null).

    After quarantining those rows every customer has exactly their clean
    orders, and every customer of the truth table has at least one.
``demo_truth_customers.parquet``
    One row per customer: ``customer_id``, planted ``persona``, ``is_category_specialist``
    (:mod:`cluster_marts.demo.customers_traits`: a quarter of the repeat customers buy every order
    from one favourite category, drawn from its own stream). Only tests read it.
``demo_truth_drift.parquet``
    One row per customer: ``customer_id``, ``is_drifter``, ``persona``,
    ``drift_start``, ``drift_kind`` (:func:`cluster_marts.demo.drift.truth_table`).
"""

from __future__ import annotations

import pyarrow as pa

from cluster_marts.demo.customers_orders import (
    build_orders,
    draw_later_counts,
    draw_later_days,
    draw_start_days,
    rate_curves,
)
from cluster_marts.demo.customers_params import (
    AMOUNT_SIGMA,
    BUSINESS_SHARE,
    CATEGORIES,
    CATEGORY_MIX,
    FIRST_DAY,
    LEISURE_WEEKEND_WEIGHT,
    MAX_ORDERS_PER_CUSTOMER,
    MIN_AMOUNT,
    MONTH_START,
    MONTHS,
    N_DAYS,
    N_MONTHS,
    OCCASIONAL_EXTRA,
    ORDERS_SCHEMA,
    PERSONAS,
    RATE_SIGMA,
    REPEAT_START_DAYS,
    REPEAT_START_MONTHS,
    customer_ids,
    persona_counts,
    planted_counts,
)

__all__ = [
    "AMOUNT_SIGMA", "BUSINESS_SHARE", "CATEGORIES", "CATEGORY_MIX", "FILES", "FIRST_DAY",
    "LEISURE_WEEKEND_WEIGHT", "MAX_ORDERS_PER_CUSTOMER", "MIN_AMOUNT", "MONTH_START", "MONTHS", "N_DAYS",
    "N_MONTHS", "OCCASIONAL_EXTRA", "ORDERS_SCHEMA", "PERSONAS", "RATE_SIGMA", "REPEAT_START_DAYS",
    "REPEAT_START_MONTHS", "SCALES", "build_orders", "customer_ids", "draw_later_counts", "draw_later_days",
    "draw_start_days", "generate", "persona_counts", "planted_counts", "rate_curves",
]

FILES: tuple[str, ...] = ("customer_orders.parquet", "demo_truth_customers.parquet", "demo_truth_drift.parquet")

#: scale -> number of customers
SCALES: dict[str, int] = {"small": 2_000, "medium": 20_000, "large": 100_000, "100k": 100_000, "1m": 1_000_000,
                          "5m": 5_000_000}


def generate(scale: str, seed: int) -> dict[str, pa.Table]:
    """Demo files of the customers domain, keyed by file name (see module docstring).

    Parameters
    ----------
    scale : {"small", "medium", "large", "100k", "1m", "5m"}
        2 000, 20 000, 100 000, 100 000 or 1 000 000 customers; the persona mix gives
        about 27 orders per customer (2.7M orders at 100k, 27M at 1m).
    seed : int
        Seed of the random generators; the same seed gives identical tables.
    """
    if scale not in SCALES:
        raise ValueError(f"scale={scale!r} is not one of {sorted(SCALES)}")
    return dict(zip(FILES, build_orders(SCALES[scale], seed)))
