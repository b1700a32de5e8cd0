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

FILES: tuple[str, ...] = ("fact_sales_monthly.parquet", "dim_item.parquet", "dim_dfu.parquet",
                          "demo_truth_dfu.parquet")

#: scale -> number of DFUs
SCALES: dict[str, int] = {"small": 300, "medium": 5_000, "large": 30_000}

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

# --- invented item master vocabulary ------------------------------------------------
#: category -> (share of items, {class: [sub classes]}, proof range, bpc choices, bottle weight kg)
_CATEGORIES: dict[str, tuple[float, dict[str, list[str]], tuple[float, float], tuple[int, ...], float]] = {
    "SPIRITS": (0.55, {
        "VODKA": ["DOMESTIC VODKA", "IMPORTED VODKA", "FLAVORED VODKA"],
        "WHISKEY": ["BOURBON", "SCOTCH BLENDED", "SCOTCH SINGLE MALT", "IRISH WHISKEY", "RYE"],
        "TEQUILA": ["BLANCO", "REPOSADO", "ANEJO"],
        "RUM": ["WHITE RUM", "SPICED RUM", "DARK RUM"],
        "GIN": ["LONDON DRY", "CONTEMPORARY GIN"],
        "CORDIALS": ["CREAM LIQUEUR", "FRUIT LIQUEUR", "HERBAL LIQUEUR"],
    }, (60.0, 100.0), (6, 12), 1.4),
    "WINE": (0.30, {
        "RED WINE": ["CABERNET SAUVIGNON", "PINOT NOIR", "MERLOT", "RED BLEND"],
        "WHITE WINE": ["CHARDONNAY", "SAUVIGNON BLANC", "PINOT GRIGIO"],
        "SPARKLING": ["PROSECCO", "CHAMPAGNE", "CAVA"],
        "ROSE": ["ROSE"],
    }, (22.0, 30.0), (6, 12), 1.3),
    "BEER": (0.15, {
        "LAGER": ["PALE LAGER", "AMBER LAGER"],
        "ALE": ["IPA", "PALE ALE", "STOUT"],
        "RTD": ["HARD SELTZER", "CANNED COCKTAIL"],
    }, (8.0, 16.0), (24,), 0.4),
}
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "SPIRITS": ("USA", "MEXICO", "SCOTLAND", "IRELAND", "FRANCE", "JAMAICA", "UK"),
    "WINE": ("USA", "FRANCE", "ITALY", "SPAIN", "CHILE", "NEW ZEALAND", "AUSTRALIA"),
    "BEER": ("USA", "MEXICO", "GERMANY", "BELGIUM", "NETHERLANDS"),
}
_BRAND_HEADS = ("Copper", "Silver", "Old", "Red", "Blue", "North", "Stone", "Iron", "Golden",
                "Wild", "Black", "High", "Quiet", "River", "Oak", "Crown")
_BRAND_TAILS = ("Fox", "Barrel", "Ridge", "Harbor", "Crest", "Mill", "Hollow", "Creek", "Lantern",
                "Anchor", "Meadow", "Peak", "Cellar", "Gate")
_SERVICE_MODELS = ("NATIONAL CORE", "NATIONAL SELECT", "REGIONAL", "SEASONAL", "ALLOCATED")
#: region -> state plans in it
_REGIONS: dict[str, tuple[str, ...]] = {
    "NORTHEAST": ("NY", "NJ", "PA", "MA"),
    "SOUTHEAST": ("FL", "GA", "NC", "SC"),
    "MIDWEST": ("IL", "OH", "MI", "MN"),
    "SOUTHWEST": ("TX", "AZ", "NM"),
    "WEST": ("CA", "WA", "OR", "NV"),
}
_SALES_DIVS = ("DIV-ON-PREMISE", "DIV-OFF-PREMISE", "DIV-CHAIN", "DIV-INDEPENDENT")
_SERVICE_GROUPS = ("SL-90", "SL-95", "SL-98")
_SUPERGROUPS = ("PREMIUM", "CORE", "VALUE", "CRAFT")


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


def build_items(n_items: int, rng: np.random.Generator) -> pa.Table:
    """Item master ``dim_item`` with ``n_items`` invented items."""
    cats = list(_CATEGORIES)
    category = rng.choice(np.array(cats, dtype=object), n_items, p=[_CATEGORIES[c][0] for c in cats])
    columns: dict[str, list] = {k: [] for k in (
        "class", "sub_class", "brand_name", "country", "item_proof", "bpc", "case_weight")}
    for cat in category:
        _, classes, (lo, hi), bpcs, bottle_kg = _CATEGORIES[cat]
        cls = list(classes)[rng.integers(len(classes))]
        subs = classes[cls]
        bpc = int(bpcs[rng.integers(len(bpcs))])
        columns["class"].append(cls)
        columns["sub_class"].append(subs[rng.integers(len(subs))])
        columns["brand_name"].append(f"{_BRAND_HEADS[rng.integers(len(_BRAND_HEADS))]} "
                                     f"{_BRAND_TAILS[rng.integers(len(_BRAND_TAILS))]}")
        countries = _COUNTRIES[cat]
        columns["country"].append(countries[rng.integers(len(countries))])
        columns["item_proof"].append(float(np.round(rng.uniform(lo, hi) * 2) / 2))
        columns["bpc"].append(float(bpc))
        columns["case_weight"].append(float(np.round(bpc * bottle_kg * rng.uniform(0.9, 1.1) + 0.8, 1)))
    bpc = np.array(columns["bpc"])
    bottle_pack = np.where(bpc == 24, rng.choice([4.0, 6.0, 12.0], n_items), 1.0)
    return pa.table({
        "item_id": pa.array([f"ITM-{i:06d}" for i in range(1, n_items + 1)], pa.string()),
        "category": pa.array(category, pa.string()),
        "class": pa.array(columns["class"], pa.string()),
        "sub_class": pa.array(columns["sub_class"], pa.string()),
        "brand_name": pa.array(columns["brand_name"], pa.string()),
        "country": pa.array(columns["country"], pa.string()),
        "national_service_model": pa.array(
            np.array(_SERVICE_MODELS, dtype=object)[rng.integers(len(_SERVICE_MODELS), size=n_items)],
            pa.string()),
        "case_weight": pa.array(columns["case_weight"], pa.float64()),
        "item_proof": pa.array(columns["item_proof"], pa.float64()),
        "bpc": pa.array(bpc, pa.float64()),
        "bottle_pack": pa.array(bottle_pack, pa.float64()),
        "pack_case": pa.array(bpc / bottle_pack, pa.float64()),
    })


def build_dfus(ids: np.ndarray, items: pa.Table, mean_demand: np.ndarray,
               rng: np.random.Generator) -> pa.Table:
    """DFU master ``dim_dfu``: every item sold in about two regions; ABC class by volume."""
    n = ids.size
    n_items = items.num_rows
    item_idx = rng.permutation(np.resize(np.arange(n_items), n))
    item_ids = np.array(items["item_id"].to_pylist(), dtype=object)[item_idx]
    brands = np.array(items["brand_name"].to_pylist(), dtype=object)[item_idx]
    categories = np.array(items["category"].to_pylist(), dtype=object)[item_idx]
    proof = np.array(items["item_proof"].to_pylist())[item_idx]
    regions = list(_REGIONS)
    region = np.array(regions, dtype=object)[rng.integers(len(regions), size=n)]
    state = np.array([_REGIONS[r][rng.integers(len(_REGIONS[r]))] for r in region], dtype=object)
    rank = np.argsort(np.argsort(-mean_demand, kind="stable"), kind="stable") / n  # 0 = biggest
    abc = np.where(rank < 0.2, "A", np.where(rank < 0.5, "B", "C")).astype(object)

    def pick(values: tuple[str, ...]) -> np.ndarray:
        return np.array(values, dtype=object)[rng.integers(len(values), size=n)]

    return pa.table({
        "dfu_id": pa.array(ids, pa.string()),
        "item_id": pa.array(item_ids, pa.string()),
        "brand": pa.array(brands, pa.string()),
        "region": pa.array(region, pa.string()),
        "state_plan": pa.array(state, pa.string()),
        "sales_div": pa.array(pick(_SALES_DIVS), pa.string()),
        "prod_cat_desc": pa.array(categories, pa.string()),
        "abc_vol": pa.array(abc, pa.string()),
        "service_lvl_grp": pa.array(pick(_SERVICE_GROUPS), pa.string()),
        "supergroup": pa.array(pick(_SUPERGROUPS), pa.string()),
        "execution_lag": pa.array(rng.integers(0, 4, n), pa.int32()),
        "total_lt": pa.array(rng.integers(7, 46, n), pa.int32()),
        "alcoh_pct": pa.array(proof / 2, pa.float64()),
        "proof": pa.array(proof, pa.float64()),
        "cluster_assignment": pa.nulls(n, pa.string()),
    })


def generate(scale: str, seed: int) -> dict[str, pa.Table]:
    """Demo files of the demand domain, keyed by file name (see module docstring).

    Parameters
    ----------
    scale : {"small", "medium", "large"}
        300, 5 000 or 30 000 DFUs.
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
