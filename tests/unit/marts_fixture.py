"""A small fake warehouse (provider, demand and customer marts) for the report, export and quality tests.

``fake_marts()`` returns the four provider marts as pandas frames with the
column names and types that the dbt contracts fix, filled with plausible,
internally consistent rows: 12 invented providers in 3 clusters, a k grid
2..6 with k=3 chosen, and a real Kruskal-Wallis test over synthetic
model-level data for 4 regions. ``write_warehouse()`` writes them into a
DuckDB file (schema ``main``), so a test can edit a frame first, or leave a
table out, and then point ``run_report`` / ``run_checks`` at the file.

``fake_demand_marts()`` returns the two demand marts the GX suites read:
``dim_dfu`` built from the small synthetic demand demo (its raw DFU master plus
``months_of_history`` and ``quarantine_reason``; the short-history DFUs are
quarantined) and ``dfu_cluster_assignments`` with one cluster per planted
archetype (k = 6).

``fake_customer_marts()`` returns the three customer segmentation marts the
export and the GX suites read (``customer_fit_metrics``,
``customer_segment_profiles``, ``customer_memberships``): 60 synthetic
customers on the ``engagement`` axis, segmented by fcm, gmm and neural into
the same 3 top-level segments of 40, 17 and 3 customers; segment 0 is
subdivided into 0.0 (25) and 0.1 (15), segment 1 into 1.0 (14) and 1.1 (3).
The statistics are computed from the synthetic feature values the way the
dbt model computes them, so the marts are internally consistent.

All names and numbers are synthetic: none describe a real company.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pandas as pd
from marts_fixture_customers import (
    CUSTOMER_AXIS,
    CUSTOMER_FEATURES,
    CUSTOMER_MARTS,
    CUSTOMER_METHODS,
    fake_customer_marts,
    fake_drift_marts,
)
from marts_fixture_demand import DEMAND_MARTS, DEMAND_RUN_ID, fake_demand_marts
from marts_fixture_providers import FEATURES, MARTS, RUN_ID, fake_marts

__all__ = [
    "CUSTOMER_AXIS", "CUSTOMER_FEATURES", "CUSTOMER_MARTS", "CUSTOMER_METHODS", "DEMAND_MARTS",
    "DEMAND_RUN_ID", "FEATURES", "MARTS", "RUN_ID", "fake_customer_marts", "fake_demand_marts",
    "fake_drift_marts", "fake_marts", "write_warehouse",
]


def write_warehouse(path: str | Path, marts: dict[str, pd.DataFrame] | None = None,
                    skip: Iterable[str] = (), empty: Iterable[str] = ()) -> Path:
    """Write the marts into a DuckDB file and return its path.

    Every fake mart of every domain is written; ``marts`` replaces some of
    them (e.g. an edited provider mart). ``skip`` leaves tables out; ``empty``
    writes them with their columns but no rows.
    """
    path = Path(path)
    marts = {**fake_marts(), **fake_demand_marts(), **fake_customer_marts(), **fake_drift_marts(),
             **(marts or {})}
    skip, empty = set(skip), set(empty)
    con = duckdb.connect(str(path))
    try:
        for name, df in marts.items():
            if name in skip:
                continue
            frame = df.iloc[0:0] if name in empty else df
            con.register("_frame", frame)
            con.execute(f"create or replace table main.{name} as select * from _frame")
            con.unregister("_frame")
    finally:
        con.close()
    return path
