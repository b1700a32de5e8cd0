"""Master data of the synthetic demand demo (:mod:`cluster_marts.demo.demand`).

The invented item vocabulary (categories, brands, countries, regions, ...),
the item master ``dim_item`` (:func:`build_items`) and the DFU master
``dim_dfu`` (:func:`build_dfus`). Names are invented or generic; none describe
a real business.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

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
