"""Several shops in one warehouse: the demo's customers spread over stores, with a planted difference.

``cluster-marts demo --stores N`` (N >= 2) gives every customer a store, drawn from a random stream of its
own (so the orders themselves are the plain demo's, row for row), and numbers each store's customers
afresh (``C-000001`` in every store: a customer is the pair (store, customer)). The stores are planted:

* the first N - 1 stores are alike: each customer who is not sent to the last store goes to one of them
  uniformly, whatever their persona;
* the last store is different: it takes a repeat buyer (active hobbyist, super-engaged, enterprise) with
  probability ``repeat_share`` (0.6) and any other customer with probability ``other_share`` (0.2), so
  its customers order more often than the others' (about half repeat buyers against one in eight).

The orders get a ``store_id`` column and the store-local ``customer_id``; the truth tables get the
``store_id`` and the store-local id too. Order ids stay unique across stores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["REPEAT_PERSONAS", "STORE_STREAM", "assign_stores", "store_names"]

#: the stream of the store draws (with the demo seed): the orders' own draws are untouched
STORE_STREAM = 5_170_001
#: the personas the last store over-represents
REPEAT_PERSONAS = ("active_hobbyist", "super_engaged", "enterprise")


def store_names(n_stores: int) -> list[str]:
    """``store_a``, ``store_b``, ...: the demo's store ids, the planted different one last."""
    if not 2 <= n_stores <= 26:
        raise ValueError(f"stores={n_stores}: give between 2 and 26 stores")
    return [f"store_{chr(ord('a') + i)}" for i in range(n_stores)]


def assign_stores(tables: dict[str, pa.Table], n_stores: int, seed: int, *, repeat_share: float = 0.6,
                  other_share: float = 0.2) -> dict[str, pa.Table]:
    """The customers' demo tables (:data:`~cluster_marts.demo.customers.FILES`) spread over ``n_stores``.

    Parameters
    ----------
    tables : dict
        ``customer_orders.parquet``, ``demo_truth_customers.parquet`` and ``demo_truth_drift.parquet`` of
        one demo generation (any other table is returned as it is).
    n_stores : int
        Number of stores, 2..26.
    seed : int
        The demo seed; with :data:`STORE_STREAM` it seeds the store draws.
    repeat_share, other_share : float
        Probability that a repeat buyer, and any other customer, is the last store's.
    """
    names = store_names(n_stores)
    truth = tables["demo_truth_customers.parquet"].to_pandas()
    rng = np.random.default_rng([seed, STORE_STREAM])
    is_repeat = truth["persona"].isin(REPEAT_PERSONAS).to_numpy()
    to_last = rng.random(len(truth)) < np.where(is_repeat, repeat_share, other_share)
    store = np.where(to_last, n_stores - 1, rng.integers(0, n_stores - 1, len(truth)))
    stores = pd.DataFrame({"customer_id": truth["customer_id"], "store_id": np.array(names)[store]})
    stores = stores.sort_values(["store_id", "customer_id"], kind="stable")
    stores["local_id"] = [f"C-{k:06d}" for k in stores.groupby("store_id").cumcount() + 1]
    mapping = stores.set_index("customer_id")
    out = dict(tables)
    for name in ("customer_orders.parquet", "demo_truth_customers.parquet", "demo_truth_drift.parquet"):
        if name in tables:
            out[name] = _relabel(tables[name], mapping)
    return out


def _relabel(table: pa.Table, mapping: pd.DataFrame) -> pa.Table:
    """``table`` with its customer ids store-local and a ``store_id`` column after them (rows without a
    customer, the planted bad rows, get no store and keep their null id)."""
    ids = table.column("customer_id").to_pandas()
    key = ids.str.strip()  # the planted rows with padded ids are the same customers
    local = key.map(mapping["local_id"]).fillna(ids)
    store = key.map(mapping["store_id"])
    position = table.schema.get_field_index("customer_id")
    relabelled = table.set_column(position, "customer_id", pa.array(local.astype(object), type=pa.string()))
    return relabelled.add_column(position + 1, "store_id", pa.array(store.astype(object), type=pa.string()))
