"""Pairwise cross-store tests of the segment shares, per axis (several shops in one warehouse).

Thin adapter over cluster_marts.profiling.stores.compare_stores: every customer's top-level segment of
the primary method (customer_segments) with its store (customer_features.store_id). Empty when the orders
have no store_id. Settings in config.meta of _customers__models.yml. Read it through customer_store_tests.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.profiling.stores import compare_stores


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta")
    segments = (dbt.ref("customer_segments").filter(f"method = '{meta['method']}'")
                .project("customer_id, axis, segment_id"))
    stores = dbt.ref("customer_features").filter("store_id is not null").project("customer_id, store_id")
    return compare_stores(to_frame(segments.join(stores, "customer_id")), meta, model="int_customer_store_tests")
