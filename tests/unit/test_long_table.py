"""One long table from several tables and back (cluster_marts.adapters.long_table)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cluster_marts.adapters.long_table import RECORD_TYPE, nullable_dtype, record_rows, stack_records

A = pd.DataFrame({
    "id": pd.Series(["a", "b", "c"], dtype="str"), "k": np.array([2, 3, 4], dtype=np.int64),
    "score": [0.5, np.nan, 1.5], "is_best": [False, True, False],
    "second": pd.Series([1, None, 0], dtype="Int64"),
})
B = pd.DataFrame({"k": np.array([7], dtype=np.int64), "note": pd.Series(["x"], dtype="str"),
                  "n": np.array([10], dtype=np.int32)})
EMPTY = pd.DataFrame({"only_here": pd.Series([], dtype="float64")})


def test_stacks_rows_in_order_with_the_union_of_columns():
    long = stack_records({"first": A, "second": B, "third": EMPTY})
    assert list(long.columns) == [RECORD_TYPE, "id", "k", "score", "is_best", "second", "note", "n", "only_here"]
    assert long[RECORD_TYPE].tolist() == ["first"] * 3 + ["second"]
    assert long["k"].tolist() == [2, 3, 4, 7]
    assert long.index.tolist() == [0, 1, 2, 3]
    # typed: nullable counterparts, so the warehouse keeps BIGINT / BOOLEAN / INTEGER columns
    assert {c: str(t) for c, t in long.dtypes.items()} == {
        RECORD_TYPE: "str", "id": "str", "k": "Int64", "score": "float64", "is_best": "boolean",
        "second": "Int64", "note": "str", "n": "Int32", "only_here": "float64"}
    # null where a column is not the row's table's
    assert long.loc[long[RECORD_TYPE] == "second", ["id", "score", "is_best", "second"]].isna().all().all()
    assert long.loc[long[RECORD_TYPE] == "first", ["note", "n", "only_here"]].isna().all().all()


def test_record_rows_gives_each_table_back():
    long = stack_records({"first": A, "second": B, "third": EMPTY})
    for name, table in {"first": A, "second": B, "third": EMPTY}.items():
        back = record_rows(long, name, list(table.columns))
        assert len(back) == len(table)
        pd.testing.assert_frame_equal(back.astype(table.dtypes), table)
    assert record_rows(long, "absent", ["k"]).empty


def test_a_shared_column_needs_one_type():
    other = pd.DataFrame({"k": [0.5]})
    with pytest.raises(ValueError, match=r"column 'k' is Int64 in table 'first' but float64 in table 'other'"):
        stack_records({"first": A, "other": other})
    with pytest.raises(ValueError, match="reserves"):
        stack_records({"first": A.assign(record_type="x")})


@pytest.mark.parametrize(("dtype", "expected"), [
    ("int64", "Int64"), ("int8", "Int8"), ("uint16", "UInt16"), ("bool", "boolean"), ("float64", "float64"),
    ("str", "str"), ("Int64", "Int64"), ("datetime64[ns]", "datetime64[ns]"),
])
def test_nullable_dtype(dtype, expected):
    assert str(nullable_dtype(dtype)) == expected
