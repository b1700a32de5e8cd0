"""Monthly demand series of the synthetic demand demo (:mod:`cluster_marts.demo.demand`).

The archetype table, the 36-month calendar, the sales schema, the archetype
formulas (:func:`draw_series`), the planted bad rows and the assembly of
``fact_sales_monthly`` and ``demo_truth_dfu`` (:func:`build_sales`). See the
docstring of :mod:`cluster_marts.demo.demand` for the archetypes and the files.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

#: archetype -> (share of DFUs, expected_pattern, expected_volume_tier)
ARCHETYPES: dict[str, tuple[float, str, str | None]] = {
    "steady_high": (0.20, "steady", "high"),
    "seasonal": (0.18, "seasonal", None),
    "intermittent": (0.14, "intermittent", "low"),
    "growing": (0.16, "growing", None),
    "declining": (0.14, "declining", "low"),
    "volatile": (0.18, "volatile", None),
}

N_MONTHS = 36
FIRST_MONTH = np.datetime64("2023-11", "M")
LAST_MONTH = FIRST_MONTH + (N_MONTHS - 1)  # 2026-10
MONTHS = np.arange(FIRST_MONTH, LAST_MONTH + 1).astype("datetime64[D]")
MONTH_OF_YEAR = (MONTHS.astype("datetime64[M]").astype(int) % 12) + 1
SHORT_SHARE = 0.04
SHORT_MONTHS = (6, 11)          # inclusive range of months of history of a new DFU
INTERMITTENT_P = 0.35           # chance that an intermittent month has demand
ABSENT_ZERO_SHARE = 0.5         # chance that an intermittent zero month has no row

SALES_SCHEMA = pa.schema([("dfu_id", pa.string()), ("month", pa.date32()), ("demand", pa.float64())])


def planted_counts(n_dfus: int) -> dict[str, int]:
    """Number of planted bad rows and new DFUs for ``n_dfus`` DFUs.

    Returns
    -------
    dict of str to int
        ``negative_demand``, ``duplicates``, ``conflicting``, ``null_dfu_id``
        (rows) and ``short_history`` (DFUs). Small scale: 3, 3, 2, 2 and 12.
    """
    return {
        "negative_demand": max(3, n_dfus // 100),
        "duplicates": max(3, n_dfus // 100),
        "conflicting": max(2, n_dfus // 150),
        "null_dfu_id": max(2, n_dfus // 150),
        "short_history": max(5, round(SHORT_SHARE * n_dfus)),
    }


def archetype_counts(n_dfus: int) -> dict[str, int]:
    """DFUs per archetype: the shares rounded, the last archetype takes the remainder."""
    names = list(ARCHETYPES)
    counts = {name: round(ARCHETYPES[name][0] * n_dfus) for name in names[:-1]}
    counts[names[-1]] = n_dfus - sum(counts.values())
    return counts


def dfu_ids(n_dfus: int) -> np.ndarray:
    """``DFU-00001`` .. ``DFU-<n>``."""
    return np.array([f"DFU-{i:05d}" for i in range(1, n_dfus + 1)], dtype=object)


def draw_series(archetypes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Clean monthly demand, shape ``(n_dfus, 36)``, of each DFU's archetype."""
    t = np.arange(N_MONTHS)
    demand = np.zeros((archetypes.size, N_MONTHS))
    for name in ARCHETYPES:
        rows = np.flatnonzero(archetypes == name)
        n = rows.size
        if name == "steady_high":
            base = rng.uniform(800, 1500, (n, 1))
            values = base * (1 + rng.normal(0, 0.08, (n, N_MONTHS)))
        elif name == "seasonal":
            base = rng.uniform(150, 400, (n, 1))
            peak = rng.integers(1, 13, (n, 1))
            wave = 0.6 * np.cos(2 * np.pi * (MONTH_OF_YEAR - peak) / 12)
            values = base * (1 + wave + rng.normal(0, 0.08, (n, N_MONTHS)))
        elif name == "intermittent":
            active = rng.random((n, N_MONTHS)) < INTERMITTENT_P
            values = np.where(active, rng.uniform(3, 10, (n, N_MONTHS)), 0.0)
        elif name == "growing":
            base = rng.uniform(150, 400, (n, 1))
            values = base * 1.04 ** t * (1 + rng.normal(0, 0.06, (n, N_MONTHS)))
        elif name == "declining":
            base = rng.uniform(40, 120, (n, 1))
            values = base * 0.96 ** t * (1 + rng.normal(0, 0.06, (n, N_MONTHS)))
        else:  # volatile
            base = rng.uniform(100, 300, (n, 1))
            values = base * np.exp(rng.normal(0, 0.9, (n, N_MONTHS)))
        demand[rows] = values
    demand = np.round(demand, 2)
    return np.where(demand > 0, demand, 0.0)  # clip at 0, and no -0.0


def _bad_rows(ids: np.ndarray, demand: np.ndarray, candidates: np.ndarray,
              counts: dict[str, int], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The planted bad rows: each on its own candidate DFU and a random month."""
    kinds = ("negative_demand", "duplicates", "conflicting")
    n_bad = sum(counts[k] for k in kinds)
    dfus = rng.choice(candidates, n_bad, replace=False)
    months = rng.integers(0, N_MONTHS, n_bad)
    clean = demand[dfus, months]
    value = clean.copy()
    bounds = np.cumsum([0] + [counts[k] for k in kinds])
    neg = slice(bounds[0], bounds[1])
    conflict = slice(bounds[2], bounds[3])
    value[neg] = -np.round(rng.uniform(1, 50, counts["negative_demand"]), 2)
    value[conflict] = np.round(clean[conflict] * rng.uniform(0.3, 0.7, counts["conflicting"]), 2)
    n_null = counts["null_dfu_id"]
    return {
        "dfu_id": np.concatenate([ids[dfus], np.full(n_null, None, dtype=object)]),
        "month": np.concatenate([MONTHS[months], MONTHS[rng.integers(0, N_MONTHS, n_null)]]),
        "demand": np.concatenate([value, np.round(rng.uniform(1, 100, n_null), 2)]),
    }


def build_sales(n_dfus: int, seed: int) -> tuple[pa.Table, pa.Table, np.ndarray]:
    """Monthly sales and the truth table for ``n_dfus`` DFUs.

    Returns
    -------
    sales, truth : pyarrow.Table
        ``fact_sales_monthly`` (``SALES_SCHEMA``) and ``demo_truth_dfu``.
    mean_demand : numpy.ndarray
        Mean monthly demand of each DFU over its history (drives ``abc_vol``).
    """
    rng = np.random.default_rng(seed)
    counts = planted_counts(n_dfus)
    names = list(ARCHETYPES)
    archetypes = rng.permutation(np.repeat(np.array(names, dtype=object),
                                           list(archetype_counts(n_dfus).values())))
    demand = draw_series(archetypes, rng)

    history = np.full(n_dfus, N_MONTHS)
    short = rng.choice(n_dfus, counts["short_history"], replace=False)
    history[short] = rng.integers(SHORT_MONTHS[0], SHORT_MONTHS[1] + 1, short.size)
    start = N_MONTHS - history

    t = np.arange(N_MONTHS)
    in_history = t[None, :] >= start[:, None]
    first_month = t[None, :] == start[:, None]
    absent = ((archetypes == "intermittent")[:, None] & (demand == 0)
              & (rng.random(demand.shape) < ABSENT_ZERO_SHARE) & ~first_month)
    keep = in_history & ~absent  # row-major: sorted by DFU, then month

    ids = dfu_ids(n_dfus)
    full = np.flatnonzero((history == N_MONTHS) & (archetypes != "intermittent"))
    bad = _bad_rows(ids, demand, full, counts, rng)
    rows, cols = np.nonzero(keep)
    sales = pa.table({
        "dfu_id": pa.array(np.concatenate([ids[rows], bad["dfu_id"]]), pa.string()),
        "month": pa.array(np.concatenate([MONTHS[cols], bad["month"]]), pa.date32()),
        "demand": pa.array(np.concatenate([demand[rows, cols], bad["demand"]]), pa.float64()),
    }, schema=SALES_SCHEMA)

    pattern = np.array([ARCHETYPES[a][1] for a in archetypes], dtype=object)
    tier = np.array([ARCHETYPES[a][2] for a in archetypes], dtype=object)
    truth = pa.table({
        "dfu_id": pa.array(ids, pa.string()),
        "archetype": pa.array(archetypes, pa.string()),
        "expected_pattern": pa.array(pattern, pa.string()),
        "expected_volume_tier": pa.array(tier, pa.string()),
        "is_short_history": pa.array(history < N_MONTHS, pa.bool_()),
        "months_of_history": pa.array(history, pa.int32()),
    })
    mean_demand = np.where(in_history, demand, 0.0).sum(axis=1) / history
    return sales, truth, mean_demand
