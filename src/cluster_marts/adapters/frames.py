"""Frames across the warehouse / Python boundary.

A dbt Python model reads its refs with :func:`to_frame`: the relation is
fetched as an Arrow table (columnar, no per-row conversion) and turned into
pandas once, instead of the relation's row-oriented ``.df()`` path.  Objects
without an Arrow export (e.g. a DataFrame already) pass through.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["to_frame"]


def to_frame(relation: Any) -> pd.DataFrame:
    """``relation`` (DuckDB relation, Spark DataFrame, Arrow table or DataFrame) as a pandas DataFrame, via Arrow."""
    if isinstance(relation, pd.DataFrame):
        return relation
    owned = hasattr(relation, "to_arrow_table") or hasattr(relation, "toArrow")
    if hasattr(relation, "to_arrow_table"):
        relation = relation.to_arrow_table()
    elif hasattr(relation, "toArrow"):  # a Spark DataFrame (session.sql on the Spark runner)
        relation = relation.toArrow()
    if hasattr(relation, "to_pandas"):
        # DATE as datetime64, as the row path gives it; an Arrow table made here is freed column by column
        # as it converts, so a large ref is not held twice
        return relation.to_pandas(date_as_object=False, self_destruct=owned, split_blocks=owned)
    return relation.df()
