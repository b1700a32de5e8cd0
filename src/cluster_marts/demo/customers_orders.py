"""Order generation of the synthetic customers demo (:mod:`cluster_marts.demo.customers`).

Draws each customer's start day, rate curve, later orders and their timing,
basket and category (:func:`build_orders`), then appends the planted bad rows
(:func:`_bad_rows`). The random draws happen in a fixed order: the same seed
gives identical tables.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cluster_marts.demo.customers_params import (
    _BUSINESS_HOURS,
    _LEISURE_HOURS,
    _WEEKDAY0,
    AMOUNT_SIGMA,
    BUSINESS_SHARE,
    CATEGORIES,
    CATEGORY_MIX,
    FIRST_DAY,
    LEISURE_WEEKEND_WEIGHT,
    MAX_ORDERS_PER_CUSTOMER,
    MIN_AMOUNT,
    MONTH_START,
    N_DAYS,
    N_MONTHS,
    OCCASIONAL_EXTRA,
    ORDERS_SCHEMA,
    PERSONAS,
    RATE_SIGMA,
    REPEAT_START_DAYS,
    RETURN_DELAY_DAYS,
    customer_ids,
    persona_counts,
    planted_counts,
)
from cluster_marts.demo.customers_traits import category_specialists, specialise
from cluster_marts.demo.drift import choose_drifters, truth_table


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
    del rates, later_owner
    business = np.concatenate([first_business, later_business])
    seconds = _draw_seconds(business, rng)

    median = np.array([PERSONAS[p][2] for p in names])
    item_lambda = np.array([PERSONAS[p][3] for p in names])
    return_rate = np.array([PERSONAS[p][4] for p in names])
    customer_code = _persona_codes(personas, names)           # persona index in PERSONAS order
    code = customer_code[owner]
    amount = np.maximum(np.round(median[code] * rng.lognormal(0.0, AMOUNT_SIGMA, owner.size), 2), MIN_AMOUNT)
    items = 1 + rng.poisson(item_lambda[code])
    category = _draw_categories(code, rng.random(owner.size), names)
    specialist, favourite = category_specialists(personas, seed, lambda u: _draw_categories(customer_code, u, names))
    category = specialise(category, owner, specialist, favourite)   # own stream: the draws above are unchanged
    returned = rng.random(owner.size) < return_rate[code]

    ts = (FIRST_DAY.astype("datetime64[s]") + (day * 86_400 + seconds).astype("timedelta64[s]"))
    back = _returned_at(ts, returned, seed)             # drawn per order before the drift filter
    keep = planted.keep(owner, day)                     # drop the drifters' orders from the lapse on
    owner, ts, amount, items, category, returned, back = (
        a[keep] for a in (owner, ts, amount, items, category, returned, back))
    order = np.lexsort((owner, ts))                                 # time order, ties by customer
    ids = customer_ids(n_customers)
    n_orders = owner.size
    owner = owner[order]
    clean = {   # string columns as Arrow arrays: no Python object per order (1M customers write ~27M orders)
        "order_id": order_ids(1, n_orders),
        "customer_id": pa.array(ids, pa.string()).take(owner),
        "ordered_at": ts[order].astype("datetime64[us]"),
        "amount": amount[order],
        "item_count": items[order].astype(np.int32),
        "product_category": pa.array(CATEGORIES, pa.string()).take(category[order]),
        "is_returned": returned[order],
        "returned_at": back[order],
    }
    del ts, amount, items, category, returned, back
    until = (FIRST_DAY + planted.start_day).astype("datetime64[us]") - np.timedelta64(1, "s")
    bad = _bad_rows(clean, owner, personas, planted_counts(n_customers), until, rng)
    columns = {}
    for name, kind in zip(ORDERS_SCHEMA.names, ORDERS_SCHEMA.types):   # one column at a time: no second copy
        columns[name] = pa.concat_arrays([_arrow(clean.pop(name), kind), pa.array(bad[name], kind)])
    orders = pa.table(columns, schema=ORDERS_SCHEMA)
    truth = pa.table({"customer_id": pa.array(ids, pa.string()),
                      "persona": pa.array(personas, pa.string()),
                      "is_category_specialist": pa.array(specialist, pa.bool_())})
    return orders, truth, truth_table(ids, personas, planted, FIRST_DAY)


def order_ids(first: int, n: int) -> pa.StringArray:
    """``O-<first:07d>`` .. for ``n`` consecutive orders, built in Arrow (no Python string per order)."""
    digits = pc.cast(pa.array(np.arange(first, first + n, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise("O-", pc.utf8_lpad(digits, 7, "0"), "")


def _persona_codes(personas: np.ndarray, names: list[str]) -> np.ndarray:
    """Index in ``names`` of each customer's persona."""
    code = np.zeros(personas.size, dtype=np.int64)
    for i, name in enumerate(names):
        code[personas == name] = i
    return code


def _draw_categories(code: np.ndarray, u: np.ndarray, names: list[str]) -> np.ndarray:
    """Category index of each order from its persona's mix (inverse CDF of the uniform ``u``).

    Counts the cumulative mix values at or below ``u``, one category at a time (no
    ``(n_orders, 6)`` array), capped at the last category.
    """
    cum = np.cumsum(np.array([CATEGORY_MIX[p] for p in names]), axis=1)
    category = np.zeros(code.size, dtype=np.int64)
    for j in range(cum.shape[1]):
        category += cum[code, j] <= u
    return np.minimum(category, len(CATEGORIES) - 1)


def _arrow(values: np.ndarray | pa.Array, kind: pa.DataType) -> pa.Array:
    """``values`` as an Arrow array of type ``kind``."""
    return values if isinstance(values, pa.Array) else pa.array(values, kind)


def _take(values: np.ndarray | pa.Array, rows: np.ndarray) -> np.ndarray:
    """``values[rows]`` as a writable NumPy array (object array for Arrow strings)."""
    if isinstance(values, pa.Array):
        return values.take(rows).to_numpy(zero_copy_only=False).astype(object)
    return values[rows].copy()


def _returned_at(ordered_at: np.ndarray, returned: np.ndarray, seed: int) -> np.ndarray:
    """When each returned order came back (NaT for kept orders), 3-30 days after it was placed.

    Drawn from its own generator so every other column is unchanged by it.
    """
    rng = np.random.default_rng([seed, 7])
    delay = rng.uniform(*RETURN_DELAY_DAYS, ordered_at.size) * 86_400
    at = ordered_at.astype("datetime64[us]") + (delay * 1e6).astype("timedelta64[us]")
    return np.where(returned, at, np.datetime64("NaT", "us"))


def _bad_rows(clean: dict[str, np.ndarray | pa.Array], owner: np.ndarray, personas: np.ndarray, counts: dict[str, int],
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
    bad = {name: _take(values, rows) for name, values in clean.items()}
    n_clean = len(clean["order_id"])
    new_ids = order_ids(n_clean + 1, n_bad).to_numpy(zero_copy_only=False)
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
