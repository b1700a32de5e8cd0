"""Synthetic monthly demand per DFU with planted demand archetypes.

The data is synthetic: every DFU (demand forecasting unit: an item sold in a
region) is given an archetype at random (seeded) and its monthly demand is
drawn from that archetype's formula, so the clustering pipeline can be checked
against a known answer. Item, brand and place names are invented or generic;
none of the figures describe a real business.

Archetypes (``t`` = 0..35 is the month index from 2023-11, ``moy`` the month of
year; noise is drawn independently per month; demand is clipped at 0 and
rounded to 2 decimals):

============  =====  ==============================================================
archetype     share  monthly demand
============  =====  ==============================================================
steady_high   20 %   ``base * (1 + N(0, 0.08))``, base ~ U(800, 1500)
seasonal      18 %   ``base * (1 + 0.6 cos(2 pi (moy - p) / 12) + N(0, 0.08))``,
                     base ~ U(150, 400), peak month p ~ U{1..12}
intermittent  14 %   non-zero with probability 0.35, size ~ U(3, 10)
growing       16 %   ``base * 1.04**t * (1 + N(0, 0.06))``, base ~ U(150, 400)
declining     14 %   ``base * 0.96**t * (1 + N(0, 0.06))``, base ~ U(40, 120)
volatile      18 %   ``base * exp(N(0, 0.9))``, base ~ U(100, 300)
============  =====  ==============================================================

Files
-----
``fact_sales_monthly.parquet``
    ``dfu_id``, ``month`` (first day of the month), ``demand``. Months run
    2023-11-01..2026-10-01 (36 months). A zero month is an explicit row with
    demand 0, except for intermittent DFUs, where about half of the zero months
    have no row at all (the warehouse must fill the month grid); the first month
    of a DFU's history always has a row, so its history starts where the truth
    says. About 4 % of the DFUs (``short_history``, at least 5) are new: their
    rows start 6..11 months before 2026-10 and they must be quarantined
    downstream. The clean rows come sorted by DFU and month; the planted bad
    rows (see :func:`planted_counts`) are appended after them, all on
    full-history, non-intermittent DFUs, each on its own DFU and month:

    * ``negative_demand``: an extra row with a negative demand for a DFU-month
      that also has its clean row;
    * ``duplicates``: an exact copy of a clean row;
    * ``conflicting``: an extra row for a DFU-month with another, *lower*
      positive demand (a staging that keeps the highest demand keeps the clean
      row);
    * ``null_dfu_id``: a row without a DFU id.

    After quarantining those rows every DFU has exactly its clean series.
``dim_item.parquet``
    Item master, one row per item, about one item per two DFUs.
``dim_dfu.parquet``
    DFU master, one row per DFU; ``cluster_assignment`` is null (the warehouse
    fills it).
``demo_truth_dfu.parquet``
    One row per DFU: planted ``archetype``, ``expected_pattern``,
    ``expected_volume_tier`` (high / low / null), ``is_short_history`` and
    ``months_of_history``. Only tests read it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cluster_marts.demo.demand_master import build_dfus, build_items
from cluster_marts.demo.demand_series import (
    ABSENT_ZERO_SHARE,
    ARCHETYPES,
    FIRST_MONTH,
    INTERMITTENT_P,
    LAST_MONTH,
    MONTH_OF_YEAR,
    MONTHS,
    N_MONTHS,
    SALES_SCHEMA,
    SHORT_MONTHS,
    SHORT_SHARE,
    archetype_counts,
    build_sales,
    dfu_ids,
    draw_series,
    planted_counts,
)

__all__ = [
    "ABSENT_ZERO_SHARE", "ARCHETYPES", "FILES", "FIRST_MONTH", "INTERMITTENT_P", "LAST_MONTH",
    "MONTH_OF_YEAR", "MONTHS", "N_MONTHS", "SALES_SCHEMA", "SCALES", "SHORT_MONTHS", "SHORT_SHARE",
    "archetype_counts", "build_dfus", "build_items", "build_sales", "dfu_ids", "draw_series", "generate",
    "planted_counts",
]

FILES: tuple[str, ...] = ("fact_sales_monthly.parquet", "dim_item.parquet", "dim_dfu.parquet",
                          "demo_truth_dfu.parquet")

#: scale -> number of DFUs
#: (the warehouse-scale series 100k / 1m both have the issue's 100 000 DFUs x 36 months)
SCALES: dict[str, int] = {"small": 300, "medium": 5_000, "large": 30_000, "100k": 100_000, "1m": 100_000, "5m": 100_000}


def generate(scale: str, seed: int) -> dict[str, pa.Table]:
    """Demo files of the demand domain, keyed by file name (see module docstring).

    Parameters
    ----------
    scale : {"small", "medium", "large", "100k", "1m", "5m"}
        300, 5 000, 30 000 or (100k and 1m) 100 000 DFUs.
    seed : int
        Seed of the random generators; the same seed gives identical tables.
    """
    if scale not in SCALES:
        raise ValueError(f"scale={scale!r} is not one of {sorted(SCALES)}")
    n_dfus = SCALES[scale]
    sales, truth, mean_demand = build_sales(n_dfus, seed)
    rng = np.random.default_rng([seed, 1])  # master data: its own stream
    items = build_items(max(1, n_dfus // 2), rng)
    dfus = build_dfus(dfu_ids(n_dfus), items, mean_demand, rng)
    return dict(zip(FILES, (sales, items, dfus, truth)))
