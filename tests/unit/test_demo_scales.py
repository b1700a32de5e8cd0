"""The demo's scale series (100k, 1m) and the vectorised order generation behind it.

No large data here: the sizes are checked on the scale tables, the vectorised
helpers against plain per-row computations, and the small scale against a
content hash of the tables written before the generator was vectorised.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from cluster_marts import cli
from cluster_marts.demo import SCALES, customers, demand, providers
from cluster_marts.demo.customers_orders import _draw_categories, build_orders, order_ids
from cluster_marts.demo.customers_params import CATEGORIES, CATEGORY_MIX, PERSONAS

#: sha256 of pandas' row hashes of the small-scale tables (seed 42): every order column but the category, and
#: the persona truth, as written before vectorising and before the category specialists (their own stream);
#: then the whole tables with the specialists
SMALL_ORDERS_BUT_CATEGORY_HASH = "f18325ed336cce5a1c794584fffefa5d9b095145ee1befa928b5c30577d90d0c"
SMALL_PERSONA_TRUTH_HASH = "9a83f0e17a280959ce85d2b14389d5082fd81b937fabdc015acda4880d98f709"
SMALL_ORDERS_HASH = "60596eaa969a58a590fa4f3a2c69d5946092ca1cbd6db0acb22ae831d6333ed8"
SMALL_TRUTH_HASH = "a4c3e3bb2f93d2307ad3975afb0f689177402f67ec9dd2752e2b80f93e25a57e"


def content_hash(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes()).hexdigest()


def test_every_domain_and_the_cli_accept_every_scale() -> None:
    assert SCALES == ("small", "medium", "large", "100k", "1m", "5m")
    assert tuple(cli.DEMO_SCALES) == SCALES
    for module in (customers, demand, providers):
        assert set(module.SCALES) == set(SCALES)
    assert cli.build_parser().parse_args(["demo", "--scale", "1m"]).scale == "1m"
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["demo", "--scale", "10m"])


def test_scale_series_sizes() -> None:
    assert [customers.SCALES[s] for s in ("100k", "1m", "5m")] == [100_000, 1_000_000, 5_000_000]
    assert demand.SCALES["100k"] == demand.SCALES["1m"] == demand.SCALES["5m"] == 100_000
    # ~20 models per creator
    assert providers.SCALES["100k"] == providers.SCALES["1m"] == providers.SCALES["5m"] == (10_000, 19.0)
    # the demo scales are unchanged
    assert [customers.SCALES[s] for s in ("small", "medium", "large")] == [2_000, 20_000, 100_000]
    assert [demand.SCALES[s] for s in ("small", "medium", "large")] == [300, 5_000, 30_000]


def test_small_scale_tables_are_unchanged() -> None:
    orders, truth, _ = build_orders(customers.SCALES["small"], 42)
    orders, truth = orders.to_pandas(), truth.to_pandas()
    assert content_hash(orders.drop(columns="product_category")) == SMALL_ORDERS_BUT_CATEGORY_HASH
    assert content_hash(truth[["customer_id", "persona"]]) == SMALL_PERSONA_TRUTH_HASH
    assert content_hash(orders) == SMALL_ORDERS_HASH
    assert content_hash(truth) == SMALL_TRUTH_HASH


def test_order_ids_match_the_formatted_numbers() -> None:
    ids = order_ids(9_999_998, 4).to_pylist()
    assert ids == ["O-9999998", "O-9999999", "O-10000000", "O-10000001"]
    assert order_ids(1, 3).to_pylist() == [f"O-{i:07d}" for i in range(1, 4)]


def test_categories_follow_the_inverse_cdf_row_by_row() -> None:
    names = list(PERSONAS)
    rng = np.random.default_rng(3)
    code = rng.integers(0, len(names), 2_000)
    u = rng.random(2_000)
    u[:6] = np.cumsum(CATEGORY_MIX[names[0]])  # exactly on the steps
    code[:6] = 0
    expected = [min(int(np.searchsorted(np.cumsum(CATEGORY_MIX[names[c]]), x, side="right")), len(CATEGORIES) - 1)
                for c, x in zip(code, u)]
    assert _draw_categories(code, u, names).tolist() == expected
