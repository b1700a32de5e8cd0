"""A second order generator for the lapse evaluation, built differently from the demo's.

``python -m benchmarks.lapse_generator --out DIR [--customers 2000] [--seed 7]`` writes
``customer_orders.parquet`` (the contract columns of ``customer_orders``:
:data:`cluster_marts.demo.customers_params.ORDERS_SCHEMA`) and ``lapse_truth.parquet`` into ``DIR``.

How it differs from the demo (:mod:`cluster_marts.demo.customers`), so a lapse score tuned on one
generator is caught out by the other:

- **time**: a 104-week window from Monday 2023-01-02 (the demo: 24 calendar months from 2024-11-01);
  orders are drawn day by day from a Poisson intensity (the demo draws a count, then months and days);
- **personas** (:data:`PERSONAS`): one-shot 30 %, sporadic 28 % (one order per ~120 days),
  monthly 20 %, weekly 12 %, seasonal gifters 10 % (the demo: 55 % one-time buyers, enterprise accounts);
- **heterogeneity**: each customer's rate is the persona's times a gamma multiplier (mean 1,
  shape :data:`RATE_SHAPE`), as in the BG/NBD model's own assumption;
- **spend**: each customer's order amounts are the persona's median times a multiplier of their own
  (:func:`spend_multipliers`, lognormal, drawn from a separate stream so the other draws stay as they
  were), times a per-order lognormal: spend heterogeneity within a persona for the value models to find;
- **seasonality**: a weekly profile (:data:`WEEKDAY_PROFILE`, busiest on Saturday) times a yearly one
  peaking in mid-December (:func:`yearly_profile`), far stronger for the gifters;
- **category specialists** (:func:`category_specialists`, own stream): :data:`SPECIALIST_SHARE` of the
  repeat customers place each order in one favourite category (uniform over the categories) with
  probability :data:`SPECIALIST_LOYALTY`, else as their persona's mix says (the demo's specialists buy
  from their favourite only, drawn from the persona's mix); categories feed no lapse input;
- **lapse shapes** (the demo has one: an abrupt stop), planted among monthly and weekly customers whose
  first order falls in the first :data:`ELIGIBLE_START_DAYS` days, :func:`n_planted` of each kind:

  - ``abrupt``: no order from ``lapse_start`` on;
  - ``gradual``: the rate halves every :data:`HALF_LIFE_DAYS` days from ``lapse_start`` on;
  - ``pause_return``: no order from ``lapse_start`` for 60-120 days, then an order on ``return_date``
    and the usual rate again; they return before the window ends, so they are **not** lapsers.

The truth table (:data:`TRUTH_SCHEMA`): ``customer_id``, ``is_lapser`` (abrupt or gradual),
``persona``, ``lapse_start`` (date; null for unplanted customers), ``lapse_kind`` (``abrupt``,
``gradual``, ``pause_return`` or null), ``return_date`` (pauses only) and ``is_category_specialist``.
Every draw comes from generators seeded by ``seed`` in a fixed order: the same seed gives identical files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cluster_marts.demo.customers_params import ORDERS_SCHEMA

__all__ = ["PERSONAS", "TRUTH_SCHEMA", "FIRST_DAY", "N_DAYS", "generate", "n_planted", "write",
           "category_specialists"]

FIRST_DAY = np.datetime64("2023-01-02", "D")                # a Monday
N_DAYS = 728                                                # 104 weeks: 2023-01-02 .. 2024-12-29
#: persona -> (share of customers, later orders per day, amount median, item Poisson lambda, return rate)
PERSONAS: dict[str, tuple[float, float, float, float, float]] = {
    "one_shot": (0.30, 0.0, 28.0, 0.4, 0.10),
    "sporadic": (0.28, 1 / 120, 40.0, 0.8, 0.06),
    "monthly": (0.20, 1 / 30, 55.0, 1.2, 0.04),
    "weekly": (0.12, 1 / 7, 32.0, 2.0, 0.03),
    "gifter": (0.10, 1 / 150, 75.0, 1.0, 0.08),
}
CATEGORIES: tuple[str, ...] = ("coffee", "tea", "equipment", "gifts", "snacks")
#: persona -> category probabilities, in the order of CATEGORIES
CATEGORY_MIX: dict[str, tuple[float, ...]] = {
    "one_shot": (0.30, 0.20, 0.20, 0.20, 0.10), "sporadic": (0.30, 0.25, 0.25, 0.10, 0.10),
    "monthly": (0.50, 0.25, 0.10, 0.05, 0.10), "weekly": (0.45, 0.20, 0.05, 0.05, 0.25),
    "gifter": (0.15, 0.15, 0.10, 0.55, 0.05),
}
RATE_SHAPE = 3.0                                            # gamma multiplier: mean 1, coefficient of variation 0.58
WEEKDAY_PROFILE = np.array([0.80, 0.90, 0.95, 1.00, 1.10, 1.40, 0.85])   # Monday .. Sunday
YEARLY_AMPLITUDE = {"gifter": 1.6}                          # log-amplitude of the yearly cycle (others: 0.3)
PEAK_DAY_OF_YEAR = 350                                      # mid-December
REPEAT_START_DAYS = 420                                     # repeat personas start in the first 60 weeks
ELIGIBLE_START_DAYS = 300
LAPSE_PERSONAS: tuple[str, ...] = ("monthly", "weekly")
PLANTED_SHARE = 0.015                                       # customers per planted kind
LAPSE_START_DAYS = (420, 640)                               # abrupt and gradual lapses start in this day range
PAUSE_START_DAYS = (380, 560)
PAUSE_LENGTH_DAYS = (60, 120)
HALF_LIFE_DAYS = 30.0
KINDS: tuple[str, ...] = ("abrupt", "gradual", "pause_return")
AMOUNT_SIGMA = 0.6
RETURN_DELAY_DAYS = (2, 21)
_STREAM = 0x1A95E                                           # salt of the planting generator
SPEND_SIGMA = 0.5                                           # lognormal sigma of a customer's spend multiplier
_SPEND_STREAM = 0x5BE4D                                     # salt of the spend generator (its own stream)
SPECIALIST_SHARE = 0.2                                      # of the repeat customers
SPECIALIST_LOYALTY = 0.95                                   # P(a specialist's order is in their favourite category)
_CATEGORY_STREAM = 0x5CA7E                                  # salt of the specialists' generator (its own stream)

TRUTH_SCHEMA = pa.schema([
    ("customer_id", pa.string()),
    ("is_lapser", pa.bool_()),
    ("persona", pa.string()),
    ("lapse_start", pa.date32()),
    ("lapse_kind", pa.string()),
    ("return_date", pa.date32()),
    ("is_category_specialist", pa.bool_()),
])


def n_planted(n_customers: int) -> int:
    """Customers of each planted kind: ``round(PLANTED_SHARE * n_customers)`` (2 000 customers: 30)."""
    return int(round(PLANTED_SHARE * n_customers))


def yearly_profile(persona: str) -> np.ndarray:
    """Multiplier of each window day, ``exp(A cos(2 pi (day of year - 350) / 365.25))`` normalised to mean 1."""
    day_of_year = ((FIRST_DAY + np.arange(N_DAYS)) - FIRST_DAY.astype("datetime64[Y]")).astype(np.int64) % 365
    curve = np.exp(YEARLY_AMPLITUDE.get(persona, 0.3) * np.cos(2 * np.pi * (day_of_year - PEAK_DAY_OF_YEAR) / 365.25))
    return curve / curve.mean()


def _plant(personas: np.ndarray, start_day: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kind index (-1: none), start day and return day (pauses; -1 else) of every customer, own generator."""
    rng = np.random.default_rng([_STREAM, seed])
    n = personas.size
    kind = np.full(n, -1)
    begin, back = np.full(n, -1), np.full(n, -1)
    eligible = np.flatnonzero(np.isin(personas, LAPSE_PERSONAS) & (start_day < ELIGIBLE_START_DAYS))
    per_kind = n_planted(n)
    if eligible.size < per_kind * len(KINDS):
        raise ValueError(f"lapse generator: {eligible.size} eligible customers for {per_kind} of each of "
                         f"{len(KINDS)} planted kinds; use more customers")
    chosen = rng.choice(eligible, per_kind * len(KINDS), replace=False)
    for k in range(len(KINDS)):
        rows = np.sort(chosen[k * per_kind:(k + 1) * per_kind])
        kind[rows] = k
        bounds = PAUSE_START_DAYS if KINDS[k] == "pause_return" else LAPSE_START_DAYS
        begin[rows] = rng.integers(bounds[0], bounds[1] + 1, rows.size)
        if KINDS[k] == "pause_return":
            back[rows] = begin[rows] + rng.integers(PAUSE_LENGTH_DAYS[0], PAUSE_LENGTH_DAYS[1] + 1, rows.size)
    return kind, begin, back


def _lapse_factor(kind: np.ndarray, begin: np.ndarray, back: np.ndarray) -> np.ndarray:
    """Multiplier of each customer's intensity on each day, shape ``(n_customers, N_DAYS)``."""
    days = np.arange(N_DAYS)[None, :]
    since = days - begin[:, None]
    name = np.array([*KINDS, "none"])[kind]
    factor = np.ones((kind.size, N_DAYS))
    factor[(name[:, None] == "abrupt") & (since >= 0)] = 0.0
    gradual = (name[:, None] == "gradual") & (since >= 0)
    factor[gradual] = (0.5 ** (np.maximum(since, 0) / HALF_LIFE_DAYS))[gradual]
    factor[(name[:, None] == "pause_return") & (since >= 0) & (days < back[:, None])] = 0.0
    return factor


def _order_days(personas: np.ndarray, start_day: np.ndarray, factor: np.ndarray,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(customer index, day) of every later order: Poisson counts of each customer-day intensity."""
    weekday = WEEKDAY_PROFILE[np.arange(N_DAYS) % 7] / WEEKDAY_PROFILE.mean()
    rate = np.array([PERSONAS[p][1] for p in personas]) * rng.gamma(RATE_SHAPE, 1.0 / RATE_SHAPE, personas.size)
    yearly = np.vstack([yearly_profile(p) for p in personas])
    intensity = rate[:, None] * weekday[None, :] * yearly * factor
    intensity[np.arange(N_DAYS)[None, :] <= start_day[:, None]] = 0.0       # the first order is placed apart
    counts = rng.poisson(intensity)
    owner, day = np.nonzero(counts)
    repeat = counts[owner, day]
    return np.repeat(owner, repeat), np.repeat(day, repeat)


def spend_multipliers(n_customers: int, seed: int) -> np.ndarray:
    """Each customer's spend multiplier (lognormal, median 1, :data:`SPEND_SIGMA`): spend heterogeneity
    within a persona, drawn from its own stream so every other draw of the generator is unchanged."""
    return np.random.default_rng([_SPEND_STREAM, seed]).lognormal(0.0, SPEND_SIGMA, n_customers)


def category_specialists(personas: np.ndarray, owner: np.ndarray, category: np.ndarray, seed: int
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Which customers are category specialists, and the order categories with their favourites planted.

    Drawn from its own stream, after every other draw: the orders' other columns are as without it.
    """
    rng = np.random.default_rng([_CATEGORY_STREAM, seed])
    is_specialist = (personas != "one_shot") & (rng.random(personas.size) < SPECIALIST_SHARE)
    favourite = rng.integers(0, len(CATEGORIES), personas.size)
    loyal = rng.random(owner.size) < SPECIALIST_LOYALTY
    return is_specialist, np.where(is_specialist[owner] & loyal, favourite[owner], category)


def generate(n_customers: int = 2_000, seed: int = 7) -> tuple[pa.Table, pa.Table]:
    """Orders (:data:`ORDERS_SCHEMA`, in time order) and the truth table (:data:`TRUTH_SCHEMA`)."""
    rng = np.random.default_rng(seed)
    names = list(PERSONAS)
    counts = [round(PERSONAS[p][0] * n_customers) for p in names[:-1]]
    personas = rng.permutation(np.repeat(np.array(names, dtype=object), [*counts, n_customers - sum(counts)]))
    start_day = np.where(personas == "one_shot", rng.integers(0, N_DAYS, n_customers),
                         rng.integers(0, REPEAT_START_DAYS, n_customers))
    kind, begin, back = _plant(personas, start_day, seed)
    later_owner, later_day = _order_days(personas, start_day, _lapse_factor(kind, begin, back), rng)
    returning = np.flatnonzero(back >= 0)
    owner = np.concatenate([np.arange(n_customers), later_owner, returning])
    day = np.concatenate([start_day, later_day, back[returning]])
    seconds = rng.integers(7 * 3600, 23 * 3600, owner.size)
    ordered_at = (FIRST_DAY.astype("datetime64[s]") + (day * 86_400 + seconds).astype("timedelta64[s]"))
    code = np.array([names.index(p) for p in personas])[owner]
    table = np.array([PERSONAS[p] for p in names])
    amount = np.maximum(np.round(table[code, 2] * spend_multipliers(n_customers, seed)[owner]
                                 * rng.lognormal(0.0, AMOUNT_SIGMA, owner.size), 2), 1.0)
    items = 1 + rng.poisson(table[code, 3])
    mix = np.cumsum(np.array([CATEGORY_MIX[p] for p in names]), axis=1)[code]
    category = np.minimum((mix <= rng.random(owner.size)[:, None]).sum(axis=1), len(CATEGORIES) - 1)
    specialist, category = category_specialists(personas, owner, category, seed)
    returned = rng.random(owner.size) < table[code, 4]
    delay = (rng.uniform(*RETURN_DELAY_DAYS, owner.size) * 86_400).astype("timedelta64[s]")
    returned_at = np.where(returned, ordered_at + delay, np.datetime64("NaT", "s"))
    order = np.lexsort((owner, ordered_at))
    ids = np.array([f"K-{i:06d}" for i in range(1, n_customers + 1)], dtype=object)
    orders = pa.table({
        "order_id": [f"R-{i:07d}" for i in range(1, owner.size + 1)],
        "customer_id": ids[owner[order]],
        "ordered_at": ordered_at[order].astype("datetime64[us]"),
        "amount": amount[order],
        "item_count": items[order].astype(np.int32),
        "product_category": np.array(CATEGORIES, dtype=object)[category[order]],
        "is_returned": returned[order],
        "returned_at": returned_at[order].astype("datetime64[us]"),
    }, schema=ORDERS_SCHEMA)
    return orders, _truth(ids, personas, kind, begin, back, specialist)


def _truth(ids: np.ndarray, personas: np.ndarray, kind: np.ndarray, begin: np.ndarray, back: np.ndarray,
           specialist: np.ndarray) -> pa.Table:
    """The truth table: one row per customer (:data:`TRUTH_SCHEMA`)."""
    name = np.array([*KINDS, None], dtype=object)[kind]
    dates = lambda offset: pa.array((FIRST_DAY + np.maximum(offset, 0)).astype("datetime64[D]"),  # noqa: E731
                                    pa.date32(), mask=offset < 0)
    return pa.table({
        "customer_id": pa.array(ids, pa.string()),
        "is_lapser": pa.array(np.isin(name, ["abrupt", "gradual"]), pa.bool_()),
        "persona": pa.array(personas, pa.string()),
        "lapse_start": dates(begin),
        "lapse_kind": pa.array(name, pa.string()),
        "return_date": dates(back),
        "is_category_specialist": pa.array(specialist, pa.bool_()),
    }, schema=TRUTH_SCHEMA)


def write(out: str | Path, n_customers: int = 2_000, seed: int = 7) -> Path:
    """Write ``customer_orders.parquet`` and ``lapse_truth.parquet`` into ``out``; returns ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    orders, truth = generate(n_customers, seed)
    pq.write_table(orders, out / "customer_orders.parquet")
    pq.write_table(truth, out / "lapse_truth.parquet")
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: write the files and print what was planted."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lapse_generator", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--customers", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    out = write(args.out, args.customers, args.seed)
    print(f"wrote {out}/customer_orders.parquet and lapse_truth.parquet: {args.customers} customers, "
          f"{n_planted(args.customers)} of each planted kind ({', '.join(KINDS)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
