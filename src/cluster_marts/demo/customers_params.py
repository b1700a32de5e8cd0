"""Parameters of the synthetic customers demo (:mod:`cluster_marts.demo.customers`).

Persona table (share, order rate, basket, returns), category mix, business-hours
share, the 24-month order window (day offsets from :data:`FIRST_DAY`), the
hour-of-day profiles, the orders schema and the small counting helpers. See the
docstring of :mod:`cluster_marts.demo.customers` for what each value means.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

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
    ("returned_at", pa.timestamp("us")),
])
#: a returned order comes back this many days (uniform) after it was placed
RETURN_DELAY_DAYS = (3, 30)


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
