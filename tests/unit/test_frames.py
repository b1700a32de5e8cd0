"""Refs read through Arrow give the frame the row-oriented path gives (``cluster_marts.adapters.frames``)."""

from __future__ import annotations

import duckdb
import pandas as pd

from cluster_marts.adapters.frames import to_frame

SQL = """
select * from (values
    ('a', 1, 2.5, date '2026-01-31', timestamp '2026-01-31 10:00:00', true),
    ('b', null, null, null, null, null)
) as t(id, n, x, d, ts, flag)
"""


def test_arrow_path_keeps_values_and_dtypes_of_the_row_path():
    con = duckdb.connect()
    got, rows = to_frame(con.sql(SQL)), con.sql(SQL).df()
    assert list(got.columns) == ["id", "n", "x", "d", "ts", "flag"]
    assert got["id"].tolist() == ["a", "b"]
    assert got["x"].iloc[0] == 2.5 and pd.isna(got["x"].iloc[1])
    assert got["n"].iloc[0] == 1 and pd.isna(got["n"].iloc[1])
    for column in ("d", "ts"):
        assert pd.api.types.is_datetime64_any_dtype(got[column]), column
        assert got[column].iloc[0] == rows[column].iloc[0]


def test_frames_pass_through():
    frame = pd.DataFrame({"a": [1]})
    assert to_frame(frame) is frame
