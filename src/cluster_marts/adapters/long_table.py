"""One long table from several tables of one fit, and back.

When one fit feeds several warehouse tables, one dbt Python model fits once and
returns :func:`stack_records` of those tables: a ``record_type`` column naming
the table a row belongs to, then the union of the tables' columns (first
appearance order), null where a column is not the row's table's.  SQL models
split it back with the ``record_rows`` macro (``macros/long_table.sql``);
:func:`record_rows` is its Python twin.  No state is shared between dbt
models: each SQL model's output is a function of the one table it reads.

When one record type is row-level and large (one row per customer, axis and
method) and the others are small (one row per axis, method and k),
:func:`pack_records` keeps the long table narrow: the large table's columns
are typed Arrow columns and the small tables' rows carry their values as one
JSON object in the ``record`` column (the typed columns null), so the large
table does not carry dozens of all-null columns.  ``record_rows(...,
packed=true)`` reads such a record type back as VARCHAR columns (typed by the
mart's cast); :func:`packed_rows` is its Python twin.  :func:`json_records`
packs a small table the same way for :func:`stack_records` (a wide long
table that carries a few records as JSON, e.g. a model's cluster memory).

Column types stay explicit: a column's pandas dtype becomes its nullable
counterpart (``int64`` -> ``Int64``, ``bool`` -> ``boolean``; floats, strings,
dates and nullable dtypes stay), so the warehouse column keeps its type
(BIGINT, BOOLEAN, ...) and null fills the rows of other tables.  Two tables may
share a column name only with the same type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["RECORD_TYPE", "RECORD", "stack_records", "record_rows", "nullable_dtype", "pack_records", "packed_rows",
           "json_records"]

RECORD_TYPE = "record_type"
RECORD = "record"


def nullable_dtype(dtype: object) -> object:
    """The dtype that holds the same values plus null: ``Int64`` for ``int64``, ``boolean`` for ``bool``."""
    dtype = pd.api.types.pandas_dtype(dtype)
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return pd.BooleanDtype()
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return pd.api.types.pandas_dtype(f"{'UInt' if dtype.kind == 'u' else 'Int'}{dtype.itemsize * 8}")
    return dtype


def _union_dtypes(tables: Mapping[str, pd.DataFrame]) -> dict[str, object]:
    dtypes: dict[str, object] = {}
    owner: dict[str, str] = {}
    for name, frame in tables.items():
        if RECORD_TYPE in frame.columns:
            raise ValueError(f"table {name!r} has a column named {RECORD_TYPE!r}, which the long table reserves")
        for column, dtype in frame.dtypes.items():
            wanted = nullable_dtype(dtype)
            if column in dtypes and dtypes[column] != wanted:
                raise ValueError(
                    f"column {column!r} is {dtypes[column]} in table {owner[column]!r} but {wanted} in table "
                    f"{name!r}; give the two columns one type or different names"
                )
            dtypes.setdefault(column, wanted)
            owner.setdefault(column, name)
    return dtypes


def stack_records(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Stack ``tables`` into one long table keyed by ``record_type``.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Record type -> table, in the order the rows are stacked.  A table may
        be empty; its columns still enter the union.

    Returns
    -------
    DataFrame
        ``record_type`` (str) first, then the union of the columns with
        nullable dtypes; rows of each table in table order, index 0..n-1.

    Raises
    ------
    ValueError
        Two tables share a column name with different types, or a table has a
        ``record_type`` column.
    """
    dtypes = _union_dtypes(tables)
    n = sum(len(frame) for frame in tables.values())
    out = {RECORD_TYPE: pd.Series(np.repeat(list(tables), [len(f) for f in tables.values()]), dtype="str")}
    for column, dtype in dtypes.items():
        parts = [
            frame[column].astype(dtype).reset_index(drop=True) if column in frame.columns
            else pd.Series(index=range(len(frame)), dtype=dtype)  # all missing
            for frame in tables.values()
        ]
        out[column] = pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype=dtype)
        assert len(out[column]) == n
    return pd.DataFrame(out)


def record_rows(long: pd.DataFrame, record_type: str, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of one record type with its columns: what the ``record_rows`` SQL macro selects.

    Dtypes stay nullable (as in the warehouse); index 0..n-1.
    """
    rows = long.loc[long[RECORD_TYPE] == record_type, list(columns)]
    return rows.reset_index(drop=True)


def _json_rows(frame: pd.DataFrame) -> list[str]:
    """Each row of ``frame`` as a JSON object; NaN and missing values become null."""
    columns = {c: frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns}
    values = [dict(zip(columns, row)) for row in zip(*columns.values())] if columns else [{}] * len(frame)
    return [json.dumps({k: v.item() if isinstance(v, np.generic) else v for k, v in row.items()}, allow_nan=False)
            for row in values]


def json_records(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s rows as one JSON object each, in a ``record`` column: a small table packed for :func:`stack_records`.

    Examples
    --------
    >>> json_records(pd.DataFrame({"a": [1, None]}))["record"].tolist()
    ['{"a": 1.0}', '{"a": null}']
    """
    return pd.DataFrame({RECORD: pd.Series(_json_rows(frame), dtype="str")})


def pack_records(rows_type: str, rows: pa.Table, packed: Mapping[str, pd.DataFrame]) -> pa.Table:
    """The long table of one large typed table and small tables packed as JSON.

    Parameters
    ----------
    rows_type : str
        Record type of ``rows``.
    rows : pyarrow.Table
        The large table; its columns stay typed (null on the packed rows).
    packed : mapping of str to DataFrame
        Record type -> small table, stacked after ``rows`` in mapping order,
        each row as one JSON object (column -> value; NaN and missing -> null).

    Returns
    -------
    pyarrow.Table
        ``record_type``, the columns of ``rows``, ``record`` (JSON string, null on
        the rows of ``rows``).
    """
    if RECORD_TYPE in rows.column_names or RECORD in rows.column_names:
        raise ValueError(f"the typed table has a column named {RECORD_TYPE!r} or {RECORD!r}, which the long table "
                         f"reserves")
    n_rows = rows.num_rows
    texts = [text for frame in packed.values() for text in _json_rows(frame)]
    kinds = [name for name, frame in packed.items() for _ in range(len(frame))]
    head = rows.add_column(0, RECORD_TYPE, pa.array([rows_type] * n_rows, pa.string())).append_column(
        RECORD, pa.nulls(n_rows, pa.string()))
    tail = pa.table({RECORD_TYPE: pa.array(kinds, pa.string()),
                     **{f.name: pa.nulls(len(texts), f.type) for f in rows.schema},
                     RECORD: pa.array(texts, pa.string())})
    return pa.concat_tables([head, tail.cast(head.schema)])


def packed_rows(long: pd.DataFrame, record_type: str, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of one packed record type with its columns: what ``record_rows(..., packed=true)`` selects.

    Values are decoded from JSON (numbers, strings, booleans, null -> None); index 0..n-1.
    """
    records = [json.loads(text) for text in long.loc[long[RECORD_TYPE] == record_type, RECORD]]
    return pd.DataFrame({c: [r.get(c) for r in records] for c in columns}, dtype=object)
