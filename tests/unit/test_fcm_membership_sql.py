"""The SQL macro ``fcm_memberships`` (macros/fcm_memberships.sql) agrees with the Python formula.

The macro is plain Jinja (no dbt context), so it is rendered here with jinja2 and its SQL run in
DuckDB on random distances, one list of squared distances per row as the snapshot scoring stores
them; the membership lists must equal :func:`cluster_marts.algorithms.fcm.fcm_memberships` to 1e-9,
including rows sitting exactly on one or several centres (one-hot on the first) and rows very close
to a centre.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import numpy as np
import pandas as pd
import pytest

from cluster_marts.algorithms.fcm import fcm_memberships

MACRO = Path(__file__).resolve().parents[2] / "macros" / "fcm_memberships.sql"


def macro_sql(relation: str = "distances") -> str:
    """The macro rendered for a relation of (row_id, squared_distances double[], fuzziness)."""
    module = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(MACRO.read_text()).module
    return str(module.fcm_memberships(relation))


def sql_memberships(d2: np.ndarray, m: float) -> np.ndarray:
    """Memberships (n, k) from the macro's SQL on squared distances ``d2`` (n, k), one list per row."""
    n, k = d2.shape
    rows = pd.DataFrame({"row_id": np.arange(n), "d2": list(d2), "fuzziness": m})
    rows = rows.sample(frac=1.0, random_state=0)  # rows are scored independently of their order
    con = duckdb.connect()
    con.register("rows_in", rows)
    con.execute("create table distances as select row_id, cast(d2 as double[]) as squared_distances, fuzziness "
                "from rows_in")
    got = con.sql(f"select row_id, memberships from ({macro_sql()}) as scored order by row_id").df()
    con.close()
    assert len(got) == n and got["row_id"].tolist() == list(range(n))
    assert all(len(u) == k for u in got["memberships"])
    return np.vstack([np.asarray(u, dtype=np.float64) for u in got["memberships"]])


@pytest.mark.parametrize("m", [1.1, 1.5, 2.0, 3.0])
@pytest.mark.parametrize("k", [2, 5])
def test_macro_equals_the_python_formula_on_random_distances(m: float, k: int) -> None:
    rng = np.random.default_rng(int(m * 10) + k)
    d = rng.gamma(2.0, 1.5, size=(400, k))
    d[:20] *= 1e-7                                        # close to a centre on every side
    d[20:40, 0] = 1e-12                                   # very close to one centre
    d[40:50, 1] = 0.0                                     # exactly on centre 1
    d[50:60, [0, k - 1]] = 0.0                            # on two centres: one-hot on the first (0)
    expected = fcm_memberships(d, m)
    got = sql_memberships(d**2, m)
    assert np.abs(got - expected).max() < 1e-9
    np.testing.assert_array_equal(got[40:50, 1], 1.0)
    np.testing.assert_array_equal(got[50:60, 0], 1.0)


def test_macro_by_hand() -> None:
    # d2 = (1, 4), m = 2: u = (1, 1/4) / 1.25 = (0.8, 0.2); m = 3: (1, 1/2) / 1.5
    np.testing.assert_allclose(sql_memberships(np.array([[1.0, 4.0]]), 2.0), [[0.8, 0.2]], rtol=1e-15)
    np.testing.assert_allclose(sql_memberships(np.array([[1.0, 4.0]]), 3.0), [[2 / 3, 1 / 3]], rtol=1e-15)
    np.testing.assert_array_equal(sql_memberships(np.array([[4.0, 0.0, 0.0]]), 2.0), [[0.0, 1.0, 0.0]])


def test_macro_stays_finite_for_m_close_to_one() -> None:
    d = np.array([[1e-3, 5.0, 9.0], [4.0, 4.0, 1e3]])       # m = 1.01: d2**-100 would overflow
    got = sql_memberships(d**2, 1.01)
    assert np.isfinite(got).all()
    assert np.abs(got - fcm_memberships(d, 1.01)).max() < 1e-9
