"""Degenerate axes end to end: orders without categories or returns build, and those two axes are skipped.

The demo orders with product_category null and is_returned false on every row (as a shop without that
data would map them): category_mix and returns have constant features, so the build passes, the data
test customer_axes_skipped warns, and those axes have skipped fit metrics and no segments anywhere.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration

SKIPPED = {"category_mix", "returns"}
FITTED = {"engagement", "value", "loyalty", "activity", "timing"}
METHODS = {"fcm", "gmm", "neural"}


@pytest.fixture(scope="module")
def degenerate(raw_dir, tmp_path_factory) -> tuple[Path, str]:
    """A fresh warehouse built from the degenerate orders (customer models, their tests, the warn test)."""
    tmp = tmp_path_factory.mktemp("skipped_axes")
    raw = tmp / "raw"
    raw.mkdir()
    for name in ("ai_models.parquet", "fact_sales_monthly.parquet", "dim_item.parquet", "dim_dfu.parquet"):
        (raw / name).symlink_to(raw_dir / name)
    duckdb.sql(f"copy (select * replace (cast(null as varchar) as product_category, false as is_returned) "
               f"from '{raw_dir / 'customer_orders.parquet'}') to '{raw / 'customer_orders.parquet'}' (format parquet)")
    db = tmp / "degenerate.duckdb"
    result = run_dbt(["build", "-s", "+customer_segment_profiles", "+customer_reference_model",
                      "+customer_features_quarantine", "+customer_k_selection",
                      "--indirect-selection", "buildable"],
                     db=db, project_dir=PROJECT_ROOT, raw=raw, tmp=tmp)
    assert result.returncode == 0, result.stdout[-3000:]
    return db, result.stdout


def test_the_build_passes_and_warns_about_the_skipped_axes(degenerate):
    _, log = degenerate
    assert "WARN 2 customer_axes_skipped" in log
    assert "PASS assert_every_customer_segmented_or_quarantined" in log


def test_skipped_axes_have_one_fit_metrics_row_per_method_and_no_segments(degenerate):
    db, _ = degenerate
    with duckdb.connect(str(db), read_only=True) as con:
        fits = con.sql("select axis, method, status, reason, k, n_samples from customer_fit_metrics").df()
        n = con.execute("select count(*) from customer_features").fetchall()[0][0]
        segments = con.sql("select axis, count(*) as n from customer_segments group by axis").df()
        tables = {table: set(con.sql(f"select distinct axis from {table}").df()["axis"]) for table in (
            "customer_k_selection", "customer_memberships", "customer_segment_profiles", "customer_reference_model")}
    skipped = fits[fits["status"] == "skipped"]
    assert set(map(tuple, skipped[["axis", "method"]].values)) == {(a, m) for a in SKIPPED for m in METHODS}
    assert skipped["k"].isna().all() and (skipped["n_samples"] == n).all()
    reasons = dict(zip(skipped["axis"], skipped["reason"]))
    assert reasons["returns"] == (f"axis returns: every feature is constant (return_rate = 0 for all {n:,} "
                                  "customers); not segmented")
    assert reasons["category_mix"].startswith("axis category_mix: every feature is constant (share_fabric = 0, ")
    assert "share_other = 1" in reasons["category_mix"]
    fitted = fits[fits["status"] == "fitted"]
    assert set(fitted["axis"]) == FITTED and len(fitted) == 15 and fitted["reason"].isna().all()
    assert dict(zip(segments["axis"], segments["n"])) == {axis: 3 * n for axis in FITTED}
    for table, axes in tables.items():
        assert axes == FITTED, table
