"""Deterministic synthetic demo data with planted structure.

``cluster-marts demo`` writes the raw files of every registered domain as
Parquet. The data is synthetic: each domain plants a known structure (provider
tiers, customer segments, demand archetypes) so tests can check that the
pipeline recovers it, and writes a ``demo_truth_*`` file holding the answer.

A domain is a module in this package exposing

``FILES``
    tuple of the file names it writes;
``generate(scale, seed) -> dict[str, pyarrow.Table]``
    the tables keyed by those file names.

Adding a domain is one entry in :data:`DOMAINS`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pyarrow.parquet as pq

#: Scales of ``cluster-marts demo --scale``: the demo sizes, then the warehouse-scale series of
#: ``make bench SCALE=...`` (100k: 100 000 customers, 100 000 DFUs, 10 000 creators; 1m: 1 000 000
#: customers, the same DFUs and creators; 5m: 5 000 000 customers, the same DFUs and creators). Every
#: domain's ``generate`` accepts each of them.
SCALES: tuple[str, ...] = ("small", "medium", "large", "100k", "1m", "5m")

#: Registered demo domains: module names inside ``cluster_marts.demo``.
DOMAINS: tuple[str, ...] = (
    "providers",
    "demand",
    "customers",
    "workbench",
)


def load_domain(name: str) -> ModuleType:
    """Import the generator module of domain ``name``."""
    return importlib.import_module(f"{__name__}.{name}")


def expected_files(domains: tuple[str, ...] = DOMAINS) -> list[str]:
    """File names written by ``domains``, in registry order."""
    return [f for name in domains for f in load_domain(name).FILES]


def write_tables(tables: dict[str, pa.Table], out: Path) -> None:
    """Write each table to ``out/<file name>`` and print a one-line summary."""
    for file_name, table in tables.items():
        path = out / file_name
        pq.write_table(table, path)
        print(f"wrote {path} ({table.num_rows} rows)")


def run_demo(scale: str = "small", out: str | Path = "data/raw", seed: int = 42,
             if_absent: bool = False, stores: int = 0) -> int:
    """Write the demo files of every registered domain into ``out``.

    Parameters
    ----------
    scale : {"small", "medium", "large", "100k", "1m", "5m"}
        Size of the data (:data:`SCALES`); ``small`` is the default demo.
    out : str or path
        Output directory, created when missing.
    seed : int
        Seed of the random generators; the same seed writes identical data.
    if_absent : bool
        Write only into a folder that holds none of the demo files: when any is there (a user's own
        ``customer_orders.parquet``, say) nothing is written or overwritten, and the missing ones are
        named.
    stores : int
        0 (default): one shop. 2 or more: the customers' orders of that many shops, with a ``store_id``
        column and the last store planted different (:mod:`cluster_marts.demo.customers_stores`).

    Returns
    -------
    int
        Exit code, 0 on success.
    """
    out = Path(out)
    present = [f for f in expected_files() if (out / f).exists()]
    if if_absent and present:
        missing = [f for f in expected_files() if f not in present]
        print(f"{out} already holds data ({', '.join(present)}); nothing written"
              + (f" (not there: {', '.join(missing)}; `cluster-marts demo --out <another folder>` writes the demo)"
                 if missing else ""))
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for name in DOMAINS:
        tables = load_domain(name).generate(scale, seed)
        if stores and name == "customers":
            from cluster_marts.demo.customers_stores import assign_stores

            tables = assign_stores(tables, stores, seed)
        write_tables(tables, out)
    return 0
