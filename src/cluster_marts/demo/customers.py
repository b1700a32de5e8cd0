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
    One row per customer: ``customer_id``, planted ``persona``. Only tests read it.
``demo_truth_drift.parquet``
    One row per customer: ``customer_id``, ``is_drifter``, ``persona``,
    ``drift_start``, ``drift_kind`` (:func:`cluster_marts.demo.drift.truth_table`).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cluster_marts.demo.drift import choose_drifters, truth_table

FILES: tuple[str, ...] = ("customer_orders.parquet", "demo_truth_customers.parquet", "demo_truth_drift.parquet")

#: scale -> number of customers
SCALES: dict[str, int] = {"small": 2_000, "medium": 20_000, "large": 100_000}

CATEGORIES: tuple[str, ...] = ("fabric", "notions", "patterns", "tools", "kits", "books")

#: persona -> (share of customers, monthly rate of later orders (None: fixed count),
#:             amount median, item Poisson lambda, return rate)
PERSONAS: dict[str, tuple[float, float | None, float, float, float]] = {
    "one_time": (0.55, None, 35.0, 0.3, 0.12),
    "occasional": (0.22, None, 45.0, 0.6, 0.08),
    "active_hobbyist": (0.14, 1.4, 60.0, 1.5, 0.05),
    "super_engaged": (0.07, 8.0, 90.0, 2.5, 0.03),
    "enterprise": (0.02, 40.0, 400.0, 12.0, 0.02),
}
#: persona -> category probabilities, in the order of CATEGORIES
CATEGORY_MIX: dict[str, tuple[float, ...]] = {
    "one_time": (0.25, 0.20, 0.15, 0.10, 0.20, 0.10),
    "occasional": (0.25, 0.20, 0.20, 0.10, 0.15, 0.10),
    "active_hobbyist": (0.12, 0.10, 0.30, 0.08, 0.35, 0.05),
    "super_engaged": (0.30, 0.20, 0.20, 0.12, 0.13, 0.05),
    "enterprise": (0.62, 0.15, 0.05, 0.13, 0.03, 0.02),
}
#: persona -> probability that an order is a business-hours weekday order
BUSINESS_SHARE: dict[str, float] = {
    "one_time": 0.10, "occasional": 0.15, "active_hobbyist": 0.35,
    "super_engaged": 0.70, "enterprise": 0.85,
}

OCCASIONAL_EXTRA = (1, 3)       # inclusive range of later orders of an occasional customer
RATE_SIGMA = 0.25               # lognormal sigma of the per-customer rate multiplier
AMOUNT_SIGMA = 0.5              # lognormal sigma of order amounts
MIN_AMOUNT = 0.5
MAX_ORDERS_PER_CUSTOMER = 1_500  # cap: small scale stays well under 80 000 orders
REPEAT_START_MONTHS = 14        # repeat personas start in the first 14 months

FIRST_DAY = np.datetime64("2024-11-01", "D")
N_MONTHS = 24
MONTHS = np.arange(np.datetime64("2024-11", "M"), np.datetime64("2024-11", "M") + N_MONTHS + 1)
#: day offsets (from FIRST_DAY) of the first day of each month, plus the day after the window
MONTH_START = (MONTHS.astype("datetime64[D]") - FIRST_DAY).astype(np.int64)
N_DAYS = int(MONTH_START[-1])                                   # 730
REPEAT_START_DAYS = int(MONTH_START[REPEAT_START_MONTHS])       # 426: 2024-11-01 .. 2025-12-31
_WEEKDAY0 = int((FIRST_DAY.astype(np.int64) + 3) % 7)           # Monday = 0; 2024-11-01 is a Friday

#: hour-of-day weights of business and leisure orders
_BUSINESS_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0, 3, 6, 9, 10, 8, 9, 10, 9, 6, 3,
                            0, 0, 0, 0, 0, 0], dtype=float)
_LEISURE_HOURS = np.array([1.0, 0.5, 0.2, 0.1, 0.1, 0.2, 0.5, 1.0, 1.5, 2, 2.5, 3, 3, 3, 3, 3, 3.5, 4,
                           5.5, 7.5, 8.5, 7.5, 5, 2.5])
LEISURE_WEEKEND_WEIGHT = 2.5

ORDERS_SCHEMA = pa.schema([
    ("order_id", pa.string()),
    ("customer_id", pa.string()),
    ("ordered_at", pa.timestamp("us")),
    ("amount", pa.float64()),
    ("item_count", pa.int32()),
    ("product_category", pa.string()),
    ("is_returned", pa.bool_()),
])


def planted_counts(n_customers: int) -> dict[str, int]:
    """Number of planted bad order rows for ``n_customers`` customers.

    Small scale (2 000 customers): ``negative_amount`` 3, ``duplicates`` 3,
    ``null_customer_id`` 2, ``null_ordered_at`` 2; medium 20 / 20 / 20 / 20,
    large 100 each.
    """
    return {
        "negative_amount": max(3, n_customers // 1_000),
        "duplicates": max(3, n_customers // 1_000),
        "null_customer_id": max(2, n_customers // 1_000),
        "null_ordered_at": max(2, n_customers // 1_000),
    }


def persona_counts(n_customers: int) -> dict[str, int]:
    """Customers per persona: the shares rounded, the last persona takes the remainder."""
    names = list(PERSONAS)
    counts = {name: round(PERSONAS[name][0] * n_customers) for name in names[:-1]}
    counts[names[-1]] = n_customers - sum(counts.values())
    return counts


def customer_ids(n_customers: int) -> np.ndarray:
    """``C-000001`` .. ``C-<n>``."""
    return np.array([f"C-{i:06d}" for i in range(1, n_customers + 1)], dtype=object)


def _weekday(day: np.ndarray) -> np.ndarray:
    """Monday = 0 .. Sunday = 6 of day offsets from FIRST_DAY."""
    return (day + _WEEKDAY0) % 7


def _draw_days(lo: np.ndarray, hi: np.ndarray, business: np.ndarray,
               rng: np.random.Generator, max_rounds: int = 60) -> np.ndarray:
    """A day in ``[lo, hi]`` per order: weekdays only for business orders, weekends
    weighted ``LEISURE_WEEKEND_WEIGHT`` for leisure orders (rejection sampling; a
    range that cannot satisfy the rule keeps its last draw)."""
    days = np.empty(lo.size, dtype=np.int64)
    todo = np.arange(lo.size)
    for _ in range(max_rounds):
        if todo.size == 0:
            break
        cand = rng.integers(lo[todo], hi[todo] + 1)
        weekend = _weekday(cand) >= 5
        accept_p = np.where(business[todo], np.where(weekend, 0.0, 1.0),
                            np.where(weekend, 1.0, 1.0 / LEISURE_WEEKEND_WEIGHT))
        days[todo] = cand
        todo = todo[rng.random(todo.size) >= accept_p]
    return days


def _draw_seconds(business: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds into the day: the hour from the business or leisure profile, then uniform."""
    hours = np.where(business,
                     rng.choice(24, business.size, p=_BUSINESS_HOURS / _BUSINESS_HOURS.sum()),
                     rng.choice(24, business.size, p=_LEISURE_HOURS / _LEISURE_HOURS.sum()))
    return hours * 3600 + rng.integers(0, 3600, business.size)


def draw_start_days(personas: np.ndarray, business: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Day offset of each customer's first order (see the module docstring)."""
    repeat = personas != "one_time"
    hi = np.where(repeat, REPEAT_START_DAYS - 1, N_DAYS - 1)
    return _draw_days(np.zeros(personas.size, dtype=np.int64), hi, business, rng)


def rate_curves(personas: np.ndarray, start_day: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Expected later orders per customer and month, shape ``(n_customers, 24)``.

    Zero before the start day; in the start month the share of the month's days
    after the start day; afterwards the persona's monthly rate times a
    per-customer lognormal multiplier (fixed-count personas: 1 per month, only
    the shape matters). Drift zeroes the last months of a known set of customers
    (:func:`cluster_marts.demo.drift.drifted_curves`, planted by thinning).
    """
    n = personas.size
    first, last = MONTH_START[:-1], MONTH_START[1:]                      # (24,)
    days_after = np.clip(last[None, :] - np.maximum(first[None, :], start_day[:, None] + 1), 0, None)
    exposure = days_after / (last - first)[None, :]
    base = np.array([PERSONAS[p][1] or 1.0 for p in personas])
    multiplier = np.where(np.isin(personas, ["one_time", "occasional"]), 1.0,
                          rng.lognormal(0.0, RATE_SIGMA, n))
    return exposure * (base * multiplier)[:, None]


def draw_later_counts(personas: np.ndarray, rates: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Number of orders after the first one, per customer."""
    poisson = rng.poisson(rates.sum(axis=1))
    fixed = rng.integers(OCCASIONAL_EXTRA[0], OCCASIONAL_EXTRA[1] + 1, personas.size)
    counts = np.where(personas == "occasional", fixed, np.clip(poisson, 1, MAX_ORDERS_PER_CUSTOMER - 1))
    return np.where(personas == "one_time", 0, counts)


def draw_later_days(owner: np.ndarray, rates: np.ndarray, start_day: np.ndarray,
                    business: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Day of each later order of customer ``owner``: month from the rate curve, then a day."""
    cdf = np.cumsum(rates, axis=1)
    cdf /= np.where(cdf[:, -1:] > 0, cdf[:, -1:], 1.0)
    u = rng.random(owner.size)
    month = np.zeros(owner.size, dtype=np.int64)
    for m in range(N_MONTHS - 1):           # column by column: no (n_orders, 24) array
        month += cdf[owner, m] <= u
    lo = np.maximum(MONTH_START[month], start_day[owner] + 1)
    hi = MONTH_START[month + 1] - 1
    return _draw_days(lo, np.maximum(hi, lo), business, rng)


def build_orders(n_customers: int, seed: int, drift: bool = True) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Orders (``ORDERS_SCHEMA``, clean rows then the planted bad rows), persona and drift truth.

    ``drift=False`` plants no drifters; with the same seed every other customer's orders are identical.
    """
    rng = np.random.default_rng(seed)
    names = list(PERSONAS)
    personas = rng.permutation(np.repeat(np.array(names, dtype=object),
                                         list(persona_counts(n_customers).values())))
    business_p = np.array([BUSINESS_SHARE[p] for p in personas])

    first_business = rng.random(n_customers) < business_p
    start_day = draw_start_days(personas, first_business, rng)
    planted = choose_drifters(personas, start_day, MONTH_START, seed, enabled=drift)   # own generator
    rates = rate_curves(personas, start_day, rng)
    later = draw_later_counts(personas, rates, rng)

    owner = np.concatenate([np.arange(n_customers), np.repeat(np.arange(n_customers), later)])
    n_later = int(later.sum())
    later_owner = owner[n_customers:]
    later_business = rng.random(n_later) < business_p[later_owner]
    day = np.concatenate([start_day, draw_later_days(later_owner, rates, start_day, later_business, rng)])
    business = np.concatenate([first_business, later_business])
    seconds = _draw_seconds(business, rng)

    median = np.array([PERSONAS[p][2] for p in names])
    item_lambda = np.array([PERSONAS[p][3] for p in names])
    return_rate = np.array([PERSONAS[p][4] for p in names])
    code = np.array([names.index(p) for p in personas])[owner]   # persona index in PERSONAS order
    amount = np.maximum(np.round(median[code] * rng.lognormal(0.0, AMOUNT_SIGMA, owner.size), 2), MIN_AMOUNT)
    items = 1 + rng.poisson(item_lambda[code])
    mix = np.array([CATEGORY_MIX[p] for p in names])
    cum = np.cumsum(mix, axis=1)[code]
    category = np.minimum((cum <= rng.random(owner.size)[:, None]).sum(axis=1), len(CATEGORIES) - 1)
    returned = rng.random(owner.size) < return_rate[code]

    ts = (FIRST_DAY.astype("datetime64[s]") + (day * 86_400 + seconds).astype("timedelta64[s]"))
    keep = planted.keep(owner, day)                     # drop the drifters' orders from the lapse on
    owner, ts, amount, items, category, returned = (a[keep] for a in (owner, ts, amount, items, category, returned))
    order = np.lexsort((owner, ts))                                 # time order, ties by customer
    ids = customer_ids(n_customers)
    n_orders = owner.size
    clean = {
        "order_id": np.array([f"O-{i:07d}" for i in range(1, n_orders + 1)], dtype=object),
        "customer_id": ids[owner[order]],
        "ordered_at": ts[order].astype("datetime64[us]"),
        "amount": amount[order],
        "item_count": items[order].astype(np.int32),
        "product_category": np.array(CATEGORIES, dtype=object)[category[order]],
        "is_returned": returned[order],
    }
    until = (FIRST_DAY + planted.start_day).astype("datetime64[us]") - np.timedelta64(1, "s")
    bad = _bad_rows(clean, owner[order], personas, planted_counts(n_customers), until, rng)
    orders = pa.table({
        name: pa.array(np.concatenate([clean[name], bad[name]]), ORDERS_SCHEMA.field(name).type)
        for name in ORDERS_SCHEMA.names
    }, schema=ORDERS_SCHEMA)
    truth = pa.table({"customer_id": pa.array(ids, pa.string()),
                      "persona": pa.array(personas, pa.string())})
    return orders, truth, truth_table(ids, personas, planted, FIRST_DAY)


def _bad_rows(clean: dict[str, np.ndarray], owner: np.ndarray, personas: np.ndarray, counts: dict[str, int],
              until: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The planted bad rows, each based on a clean order of its own repeat customer; extra rows are
    moved at most to ``until[customer]`` (end of the window, or the second before a drifter's lapse)."""
    kinds = ("negative_amount", "duplicates", "null_customer_id", "null_ordered_at")
    n_bad = sum(counts[k] for k in kinds)
    repeaters = np.flatnonzero(personas != "one_time")
    customers = rng.choice(repeaters, n_bad, replace=False)
    # one clean order of each chosen customer, picked at random
    by_owner = np.argsort(owner, kind="stable")
    first = np.searchsorted(owner[by_owner], customers)
    n_own = np.searchsorted(owner[by_owner], customers, side="right") - first
    rows = by_owner[first + rng.integers(0, n_own)]
    bad = {name: values[rows].copy() for name, values in clean.items()}
    n_clean = clean["order_id"].size
    new_ids = np.array([f"O-{n_clean + i:07d}" for i in range(1, n_bad + 1)], dtype=object)
    bounds = np.cumsum([0] + [counts[k] for k in kinds])
    part = {k: slice(bounds[i], bounds[i + 1]) for i, k in enumerate(kinds)}
    extra = np.ones(n_bad, dtype=bool)
    extra[part["duplicates"]] = False
    bad["order_id"] = np.where(extra, new_ids, bad["order_id"])
    shift = rng.integers(60, 3_600, n_bad).astype("timedelta64[s]")
    moved = np.minimum(bad["ordered_at"] + shift, until[customers])   # extra rows stay in the window
    bad["ordered_at"] = np.where(extra, moved, bad["ordered_at"])
    neg = part["negative_amount"]
    bad["amount"][neg] = -np.round(rng.uniform(5, 80, counts["negative_amount"]), 2)
    bad["customer_id"][part["null_customer_id"]] = None
    ordered_at = bad["ordered_at"].astype(object)
    ordered_at[part["null_ordered_at"]] = None
    bad["ordered_at"] = ordered_at
    return bad


def generate(scale: str, seed: int) -> dict[str, pa.Table]:
    """Demo files of the customers domain, keyed by file name (see module docstring).

    Parameters
    ----------
    scale : {"small", "medium", "large"}
        2 000, 20 000 or 100 000 customers.
    seed : int
        Seed of the random generators; the same seed gives identical tables.
    """
    if scale not in SCALES:
        raise ValueError(f"scale={scale!r} is not one of {sorted(SCALES)}")
    return dict(zip(FILES, build_orders(SCALES[scale], seed)))
