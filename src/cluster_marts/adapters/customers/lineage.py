"""The customers' segment ids across builds: the memory and lineage records of every (axis, method) fit.

The scope of a customer fit is its axis; the records are those of every
domain (:mod:`cluster_marts.adapters.memory`), so ``cluster_lineage`` reads
customers like providers and demand.
"""

from __future__ import annotations

import pandas as pd

from cluster_marts.adapters.customers.core import SegmentationFit
from cluster_marts.adapters.memory import LINEAGE_COLUMNS, MEMORY_COLUMNS, lineage_records, memory_records

__all__ = ["segment_memory", "segment_lineage"]


def segment_memory(fit: SegmentationFit) -> pd.DataFrame:
    """The ``cluster_memory`` records: one per segment of every fitted (axis, method); scope is the axis."""
    frames = [memory_records(r.axis, r.method, r.run_id, r.memory) for r in fit.fitted]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=MEMORY_COLUMNS)


def segment_lineage(fit: SegmentationFit, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``lineage`` records: what happened to each segment id of every fitted (axis, method)."""
    frames = [f for f in (lineage_records("customers", r.axis, r.method, r.run_id, r.memory.ids, previous)
                          for r in fit.fitted) if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LINEAGE_COLUMNS)
