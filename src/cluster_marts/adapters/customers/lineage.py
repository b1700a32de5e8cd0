"""The customers' segment ids across builds: the memory and lineage records of every (axis, method) fit.

The scope of a customer fit is its axis, and ``"<axis>:<path>"`` for the
children of the split of segment ``path``
(:func:`~cluster_marts.fitting.children.child_scope`); the records are those
of every domain (:mod:`cluster_marts.adapters.memory`), so
``cluster_lineage`` reads customers like providers and demand.
"""

from __future__ import annotations

import pandas as pd

from cluster_marts.adapters.customers.core import AxisResult, SegmentationFit
from cluster_marts.adapters.memory import LINEAGE_COLUMNS, MEMORY_COLUMNS, lineage_records, memory_records
from cluster_marts.fitting.children import child_scope
from cluster_marts.identity.lineage import ClusterMemory

__all__ = ["segment_memory", "segment_lineage"]


def _fits(r: AxisResult) -> list[tuple[str, ClusterMemory]]:
    """The axis's segments, then each split's children, with their scopes."""
    return [(r.axis, r.memory), *((child_scope(r.axis, path), memory) for path, memory in sorted(r.children.items()))]


def segment_memory(fit: SegmentationFit) -> pd.DataFrame:
    """The ``cluster_memory`` records: one per segment and sub-segment of every fitted (axis, method)."""
    frames = [memory_records(scope, r.method, r.run_id, memory) for r in fit.fitted for scope, memory in _fits(r)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=MEMORY_COLUMNS)


def segment_lineage(fit: SegmentationFit, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``lineage`` records: what happened to each segment id of every fitted (axis, method)."""
    frames = [f for f in (lineage_records("customers", scope, r.method, r.run_id, memory.ids, previous)
                          for r in fit.fitted for scope, memory in _fits(r)) if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LINEAGE_COLUMNS)
