"""Synthetic AI-model catalogue with planted provider tiers.

The data is synthetic: every creator is given a tier at random (seeded), and its
models are drawn around that tier's centre, so the clustering pipeline can be
checked against a known answer. Names of real organisations are used only so the
region mapping has something to map; their tiers and figures are invented.

Files
-----
``ai_models.parquet``
    One row per listed model, as a scraped catalogue would hold it: creator names
    with stray case and surrounding whitespace, exact duplicate rows, missing
    intelligence scores, prices as text (``"n/a"``, ``"tbd"``, ``""``, negative
    numbers) and a few negative or missing speeds.
``demo_truth_providers.parquet``
    One row per creator: ``provider_id`` (normalised name), ``creator``
    (canonical spelling) and the planted ``tier``. Only tests read it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

FILES: tuple[str, ...] = ("ai_models.parquet", "demo_truth_providers.parquet")

NAMED_CREATORS: tuple[str, ...] = (
    "OpenAI", "Anthropic", "Google", "Meta", "Microsoft", "Amazon", "NVIDIA", "xAI",
    "Cohere", "AI21 Labs", "DeepSeek", "Alibaba", "Tencent", "Baidu", "Zhipu AI",
    "Moonshot AI", "ByteDance", "01.AI", "MiniMax", "Mistral", "Aleph Alpha",
    "Stability AI", "Hugging Face", "LightOn", "Silo AI", "TII", "LG AI Research",
    "Upstage", "Sakana AI", "Naver", "Reka", "Writer", "Databricks", "IBM",
    "Snowflake", "Perplexity", "Nous Research", "Liquid AI", "Kimi Labs", "Falcon Works",
)

#: tier -> (share of creators, (mean, sd) of intelligence, price, speed, price floor)
TIERS: dict[str, tuple[float, tuple[float, float], tuple[float, float], tuple[float, float], float]] = {
    "frontier": (0.20, (65.0, 4.0), (12.0, 2.0), (70.0, 10.0), 0.5),
    "budget": (0.25, (40.0, 4.0), (0.5, 0.15), (90.0, 10.0), 0.05),
    "speed_focused": (0.20, (50.0, 4.0), (2.0, 0.5), (250.0, 25.0), 0.05),
    "long_tail": (0.35, (25.0, 4.0), (3.0, 0.7), (40.0, 8.0), 0.05),
}

#: scale -> (number of creators, Poisson mean of extra models per creator)
SCALES: dict[str, tuple[int, float]] = {
    "small": (40, 4.0),
    "medium": (1_000, 9.0),
    "large": (5_000, 19.0),
    # the warehouse-scale series: 10 000 creators / ~200 000 models at both 100k and 1m
    "100k": (10_000, 19.0),
    "1m": (10_000, 19.0),
    "5m": (10_000, 19.0),
}

BAD_PRICE_TEXT: tuple[str, ...] = ("n/a", "tbd", "")
NEGATIVE_PRICE = "-1.00"
MESSY_SHARE = 0.30
NULL_INTELLIGENCE_SHARE = 0.08
_FIRST_DAY = np.datetime64("2023-01-01")
_LAST_DAY = np.datetime64("2026-10-31")
_NAME_WORDS = ("Nova", "Atlas", "Flux", "Orion", "Lumen", "Vega", "Pulse", "Sage")

MODELS_SCHEMA = pa.schema([
    ("model_id", pa.string()),
    ("model_name", pa.string()),
    ("creator", pa.string()),
    ("intelligence_index", pa.float64()),
    ("blended_price_per_1m_tokens", pa.string()),
    ("median_output_speed_tps", pa.float64()),
    ("release_date", pa.date32()),
])


def planted_counts(n_models: int) -> dict[str, int]:
    """Number of rows of each planted defect for a catalogue of ``n_models`` models.

    Parameters
    ----------
    n_models : int
        Distinct models before duplication.

    Returns
    -------
    dict of str to int
        Keys ``duplicates``, ``null_intelligence``, ``messy_creator``,
        ``price_<token>`` for each bad text token, ``negative_price``,
        ``negative_speed`` and ``null_speed``.
    """
    counts = {
        "duplicates": max(3, round(0.01 * n_models)),
        "null_intelligence": round(NULL_INTELLIGENCE_SHARE * n_models),
        "messy_creator": round(MESSY_SHARE * n_models),
        "negative_price": max(3, round(0.005 * n_models)),
        "negative_speed": max(2, round(0.002 * n_models)),
        "null_speed": max(4, round(0.005 * n_models)),
    }
    for token in BAD_PRICE_TEXT:
        counts[f"price_{token or 'empty'}"] = max(2, round(0.003 * n_models))
    return counts


def normalize_creator(name: str) -> str:
    """Provider key: lower case, trimmed, inner whitespace runs collapsed to one space."""
    return " ".join(name.split()).lower()


def creator_names(n_creators: int) -> list[str]:
    """Canonical creator names: the named organisations, then ``Creator 00041`` onwards."""
    named = list(NAMED_CREATORS[:n_creators])
    return named + [f"Creator {i:05d}" for i in range(len(named) + 1, n_creators + 1)]


def assign_tiers(n_creators: int, rng: np.random.Generator) -> np.ndarray:
    """Tier of each creator: the tier shares rounded to counts, in seeded random order."""
    names = list(TIERS)
    counts = [round(TIERS[t][0] * n_creators) for t in names[:-1]]
    counts.append(n_creators - sum(counts))
    return rng.permutation(np.repeat(np.array(names), counts))


def draw_metrics(tiers: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Model-level intelligence, price and speed drawn around each row's tier centre."""
    out = {key: np.empty(len(tiers)) for key in ("intelligence", "price", "speed")}
    for tier, (_, intel, price, speed, floor) in TIERS.items():
        rows = np.flatnonzero(tiers == tier)
        out["intelligence"][rows] = np.round(rng.normal(*intel, rows.size), 1)
        out["price"][rows] = np.maximum(rng.normal(*price, rows.size), floor)
        out["speed"][rows] = np.round(np.maximum(rng.normal(*speed, rows.size), 1.0), 1)
    return out


def messy_spelling(name: str, rng: np.random.Generator) -> str:
    """``name`` with other casing and/or surrounding whitespace, never the name itself."""
    cased = (str.lower, str.upper, str.capitalize, str)[rng.integers(4)](name)
    pad = ("", " ", "  ")
    messy = pad[rng.integers(3)] + cased + pad[rng.integers(3)]
    return messy if messy != name else name + " "


def _defect_rows(anchors: np.ndarray, counts: dict[str, int],
                 rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Disjoint row sets for the price and speed defects, outside the anchor rows."""
    free = rng.permutation(np.setdiff1d(np.arange(anchors.size), anchors))
    keys = [f"price_{t or 'empty'}" for t in BAD_PRICE_TEXT]
    keys += ["negative_price", "negative_speed", "null_speed"]
    bounds = np.cumsum([0] + [counts[k] for k in keys])
    return {k: free[bounds[i]:bounds[i + 1]] for i, k in enumerate(keys)}


def _price_text(price: np.ndarray, rows: dict[str, np.ndarray]) -> np.ndarray:
    """Prices as catalogue text, with the planted bad tokens written in."""
    text = np.array([f"{p:.2f}" for p in price], dtype=object)
    for token in BAD_PRICE_TEXT:
        text[rows[f"price_{token or 'empty'}"]] = token
    text[rows["negative_price"]] = NEGATIVE_PRICE
    return text


def build_catalogue(scale: str, seed: int) -> tuple[pa.Table, pa.Table]:
    """Draw the catalogue and the truth table for ``scale``.

    Parameters
    ----------
    scale : {"small", "medium", "large", "100k", "1m", "5m"}
        About 200 models / 40 creators, 10 000 / 1 000, 100 000 / 5 000, or
        (100k and 1m) 200 000 / 10 000.
    seed : int
        Seed of the only random generator used.

    Returns
    -------
    models, truth : pyarrow.Table
        The raw catalogue (``MODELS_SCHEMA``) and one row per creator with its tier.
    """
    if scale not in SCALES:
        raise ValueError(f"scale={scale!r} is not one of {sorted(SCALES)}")
    n_creators, extra_mean = SCALES[scale]
    rng = np.random.default_rng(seed)
    names = np.array(creator_names(n_creators), dtype=object)
    tiers = assign_tiers(n_creators, rng)
    per_creator = 1 + rng.poisson(extra_mean, n_creators)
    owner = np.repeat(np.arange(n_creators), per_creator)
    n_models = owner.size
    anchors = np.concatenate([[0], np.cumsum(per_creator)[:-1]])  # first model of each creator
    counts = planted_counts(n_models)

    metrics = draw_metrics(tiers[owner], rng)
    defects = _defect_rows(anchors, counts, rng)
    intelligence = metrics["intelligence"]
    speed = metrics["speed"]
    no_anchor = np.setdiff1d(np.arange(n_models), anchors)
    intelligence[rng.choice(no_anchor, counts["null_intelligence"], replace=False)] = np.nan
    speed[defects["negative_speed"]] *= -1.0
    speed[defects["null_speed"]] = np.nan

    creator = names[owner].copy()
    for row in np.sort(rng.choice(n_models, counts["messy_creator"], replace=False)):
        creator[row] = messy_spelling(creator[row], rng)

    span = int((_LAST_DAY - _FIRST_DAY).astype(int)) + 1
    release = _FIRST_DAY + rng.integers(0, span, n_models).astype("timedelta64[D]")
    words = np.array(_NAME_WORDS, dtype=object)[rng.integers(len(_NAME_WORDS), size=n_models)]
    columns = {
        "model_id": np.array([f"m-{i:06d}" for i in range(1, n_models + 1)], dtype=object),
        "model_name": np.array([f"{names[o]} {w} {i % 9 + 1}.{i % 7}"
                                for i, (o, w) in enumerate(zip(owner, words))], dtype=object),
        "creator": creator,
        "intelligence_index": intelligence,
        "blended_price_per_1m_tokens": _price_text(metrics["price"], defects),
        "median_output_speed_tps": speed,
        "release_date": release,
    }
    order = rng.permutation(np.concatenate(
        [np.arange(n_models), rng.choice(n_models, counts["duplicates"], replace=False)]))
    models = pa.table(
        {k: pa.array(v[order], type=MODELS_SCHEMA.field(k).type, from_pandas=True)
         for k, v in columns.items()},
        schema=MODELS_SCHEMA,
    )
    truth = pa.table({
        "provider_id": pa.array([normalize_creator(n) for n in names], pa.string()),
        "creator": pa.array(names, pa.string()),
        "tier": pa.array(tiers, pa.string()),
    })
    return models, truth


def generate(scale: str, seed: int) -> dict[str, pa.Table]:
    """Demo files of the providers domain, keyed by file name (see module docstring)."""
    models, truth = build_catalogue(scale, seed)
    return dict(zip(FILES, (models, truth)))
