"""A build under a small memory bound completes by spilling to the configured temporary directory.

The demo's orders replicated 100 times (each copy its own customers: 200,000 customers, about 5.6M orders)
are staged and featured, and every customer's purchase history is built at the as-of date and at each
snapshot, on a fresh warehouse under a DuckDB ``memory_limit`` of 250 MB, set the way a host project sets
it: vars ``cluster_marts_memory_limit`` and ``cluster_marts_temp_directory`` (the on-run-start hook of
macros/configure_memory.sql). The build must pass with every customer, and DuckDB's spill files must have
appeared in the configured directory while it ran (DuckDB removes them when it closes, so a watcher lists
the directory during the run).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration

MEMORY_LIMIT = "250MB"
COPIES = 100
SELECTION = ["+customer_features", "+int_customer_value_histories", "+int_customer_snapshot_value_histories"]


class SpillWatcher(threading.Thread):
    """Lists ``directory`` every few milliseconds and keeps the names of DuckDB's spill files seen there."""

    def __init__(self, directory: Path):
        super().__init__(daemon=True)
        self.directory, self.seen, self.done = directory, set(), threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            if self.directory.is_dir():
                self.seen.update(name for name in (p.name for p in self.directory.iterdir()) if "storage" in name)
            time.sleep(0.005)


def test_a_build_spills_under_a_small_memory_limit(query, raw_dir, tmp_path):
    orders = tmp_path / "orders.parquet"
    duckdb.sql(f"""
        copy (select o.* replace (o.order_id || '_' || k as order_id, o.customer_id || '_' || k as customer_id)
              from '{raw_dir / "customer_orders.parquet"}' as o, range({COPIES}) as copies(k))
        to '{orders}' (format parquet)
    """)
    db, spill = tmp_path / "warehouse.duckdb", tmp_path / "spill"
    watcher = SpillWatcher(spill)
    watcher.start()
    try:
        result = run_dbt(["run", "-s", *SELECTION], db=db, project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp_path,
                         dbt_vars={"customer_orders_path": str(orders), "cluster_marts_domains": ["customers"],
                                   "cluster_marts_memory_limit": MEMORY_LIMIT,
                                   "cluster_marts_temp_directory": str(spill)})
    finally:
        watcher.done.set()
        watcher.join()
    assert result.returncode == 0, result.stdout[-4000:]
    print(f"{len(watcher.seen)} spill files seen under memory_limit {MEMORY_LIMIT}")
    assert watcher.seen, f"no spill file appeared in {spill}: the build did not spill"
    customers = int(query("select count(*) as n from customer_features")["n"].iloc[0])
    with duckdb.connect(str(db), read_only=True) as con:
        for table in ("customer_features", "int_customer_value_histories"):
            assert con.execute(f"select count(*) from {table}").fetchone()[0] == COPIES * customers, table
