"""The bad-input catalogue: raw files as users bring them, each with its expected end.

Every case writes one file (or a folder of files) built from a small, clean,
hand-made table plus the planted rows, and says what must happen when the
staging of its source is built from it:

- ``Quarantined(reasons)``: the build passes and the quarantine holds exactly
  these reasons with exactly these counts (the clean rows all usable);
- ``Succeeds(usable)``: the build passes, nothing is quarantined, ``usable`` rows;
- ``Fails(words)``: the build stops with a message containing every one of
  ``words`` (and no SQL binder error).

The expected counts come from how the file was built, never from the SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

N_CLEAN_ORDERS = 120


@dataclass(frozen=True)
class Quarantined:
    reasons: dict[str, int]


@dataclass(frozen=True)
class Succeeds:
    usable: int


@dataclass(frozen=True)
class Fails:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str
    source: str  # raw table name
    write: Callable[[Path], Path]  # writes the file(s) into a folder, returns the path var value
    expect: Quarantined | Succeeds | Fails
    columns: dict[str, str] = field(default_factory=dict)  # the <source>_columns mapping var
    # the file is loaded into the warehouse as this table first and read through var <source>_table
    # ("main.missing" names a table that is never loaded)
    table: str | None = None


# --------------------------------------------------------------------------- clean bases


def clean_orders(n: int = N_CLEAN_ORDERS) -> pd.DataFrame:
    """n valid, distinct orders of 30 customers in 2025, every column typed."""
    rng = np.random.default_rng(7)
    placed = pd.Timestamp("2025-01-01 08:00") + pd.to_timedelta(rng.integers(0, 300 * 24, n), unit="h")
    returned = rng.random(n) < 0.1
    return pd.DataFrame({
        "order_id": [f"O{i:04d}" for i in range(n)],
        "customer_id": [f"C{i % 30:03d}" for i in range(n)],
        "ordered_at": placed,
        "amount": np.round(rng.uniform(5, 200, n), 2),
        "item_count": rng.integers(1, 4, n).astype("int32"),
        "product_category": rng.choice(["fabric", "tools", "books"], n),
        "is_returned": returned,
        "returned_at": [p + pd.Timedelta(days=10) if r else pd.NaT for p, r in zip(placed, returned, strict=True)],
    })


def clean_catalogue(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(8)
    return pd.DataFrame({
        "model_id": [f"m{i:03d}" for i in range(n)],
        "model_name": [f"Model {i}" for i in range(n)],
        "creator": [f"Lab {i % 8}" for i in range(n)],
        "intelligence_index": np.round(rng.uniform(20, 80, n), 1),
        "blended_price_per_1m_tokens": [f"{p:.2f}" for p in rng.uniform(0.1, 20, n)],
        "median_output_speed_tps": np.round(rng.uniform(20, 300, n), 1),
        "release_date": pd.Timestamp("2025-01-01").date(),
    })


def clean_sales(n_dfus: int = 5, n_months: int = 24) -> pd.DataFrame:
    months = pd.date_range("2024-01-01", periods=n_months, freq="MS")
    return pd.DataFrame(
        [{"dfu_id": f"D{d}", "month": m.date(), "demand": float(10 + d + i)}
         for d in range(n_dfus) for i, m in enumerate(months)]
    )


# --------------------------------------------------------------------------- writers


def _parquet(frame: pd.DataFrame, name: str = "orders.parquet") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        frame.to_parquet(path, index=False)
        return path
    return write


def _parquet_keeping_nan(frame: pd.DataFrame) -> Callable[[Path], Path]:
    """Parquet whose amount holds real NaN values (pandas would write NaN as null)."""
    def write(folder: Path) -> Path:
        path = folder / "orders.parquet"
        table = pa.Table.from_pandas(frame.drop(columns=["amount"]).infer_objects(), preserve_index=False)
        amounts = pa.array(frame["amount"].astype(float).to_numpy(), type=pa.float64(), from_pandas=False)
        pq.write_table(table.append_column("amount", amounts), path)
        return path
    return write


def _csv(frame: pd.DataFrame, name: str = "orders.csv") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        frame.to_csv(path, index=False)
        return path
    return write


def _with(rows: list[dict], base: pd.DataFrame | None = None) -> pd.DataFrame:
    """The clean orders as text-friendly objects plus the planted rows."""
    base = clean_orders() if base is None else base
    return pd.concat([base.astype(object), pd.DataFrame(rows).astype(object)], ignore_index=True)


def _order(i: int, **values) -> dict:
    row = {"order_id": f"X{i:03d}", "customer_id": "C000", "ordered_at": pd.Timestamp("2025-06-01 12:00"),
           "amount": 20.0, "item_count": 1, "product_category": "fabric", "is_returned": False,
           "returned_at": pd.NaT}
    return {**row, **values}


def _glob(frame: pd.DataFrame, parts: int = 3) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        for i, chunk in enumerate(np.array_split(np.arange(len(frame)), parts)):
            frame.iloc[chunk].to_parquet(folder / f"orders_part{i}.parquet", index=False)
        return folder / "orders_part*.parquet"
    return write


def _json(frame: pd.DataFrame) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / "orders.json"
        frame.to_json(path, orient="records", lines=True, date_format="iso")
        return path
    return write


# --------------------------------------------------------------------------- the catalogue


def _orders_cases() -> list[Case]:
    clean = clean_orders()
    n = len(clean)
    inf, nan = float("inf"), float("nan")
    first = clean.sort_values("ordered_at").iloc[:5]
    later = clean.iloc[:3].assign(amount=clean["amount"].iloc[:3] + 1,
                                  ordered_at=clean["ordered_at"].iloc[:3] + pd.Timedelta(hours=1))
    minimal = clean[["order_id", "customer_id", "ordered_at", "amount"]].rename(
        columns={"ordered_at": "order_date", "amount": "revenue"})
    return [
        Case("null_ids", "customer_orders",
             _parquet(_with([_order(1, order_id=None), _order(2, order_id=None),
                             _order(3, customer_id=None), _order(4, customer_id=None),
                             _order(5, customer_id=None)])),
             Quarantined({"missing_order_id": 2, "missing_customer_id": 3})),
        Case("negative_amounts", "customer_orders",
             _parquet(_with([_order(i, amount=-5.0 * i) for i in range(1, 5)])),
             Quarantined({"negative_amount": 4})),
        Case("non_numeric_amounts", "customer_orders",
             _csv(_with([_order(1, amount="n/a"), _order(2, amount="12,50"), _order(3, amount="EUR 5")])),
             Quarantined({"non_numeric_amount": 3})),
        Case("infinite_and_nan_amounts", "customer_orders",
             _parquet_keeping_nan(_with([_order(1, amount=inf), _order(2, amount=inf), _order(3, amount=-inf),
                                         _order(4, amount=nan), _order(5, amount=nan)])),
             Quarantined({"non_finite_amount": 5})),
        Case("missing_amounts", "customer_orders",
             _parquet(_with([_order(1, amount=None), _order(2, amount=None)]).astype({"amount": float})),
             Quarantined({"missing_amount": 2})),
        Case("unparseable_dates", "customer_orders",
             _csv(_with([_order(1, ordered_at="2024-13-45"), _order(2, ordered_at="yesterday"),
                         _order(3, ordered_at="31/02/2025 10:00")])),
             Quarantined({"invalid_ordered_at": 3})),
        Case("orders_years_ahead", "customer_orders",
             _parquet(_with([_order(1, ordered_at=pd.Timestamp("2031-01-01")),
                             _order(2, ordered_at=pd.Timestamp("2099-12-31"))])),
             Quarantined({"future_ordered_at": 2})),
        Case("exact_duplicates", "customer_orders",
             _parquet(pd.concat([clean, first], ignore_index=True)),
             Quarantined({"duplicate_row": 5})),
        Case("conflicting_duplicates", "customer_orders",
             _parquet(pd.concat([clean, later], ignore_index=True)),
             Quarantined({"conflicting_duplicate_order_id": 3})),
        Case("invalid_item_counts", "customer_orders",
             _csv(_with([_order(1, item_count=0), _order(2, item_count=-1), _order(3, item_count="many")])),
             Quarantined({"invalid_item_count": 3})),
        Case("huge_outliers", "customer_orders",
             _parquet(_with([_order(1, amount=1e12), _order(2, amount=5e9)]).astype({"amount": float})),
             Succeeds(n + 2)),
        Case("quotes_sql_and_emoji_in_text", "customer_orders",
             _csv(_with([_order(1, customer_id="Robert'); drop table orders;--"),
                         _order(2, customer_id='O\'Brien "quilts"', product_category="Café 🧵"),
                         _order(3, product_category="home & garden, 'outdoor'")])),
             Succeeds(n + 3)),
        Case("extra_columns", "customer_orders",
             _parquet(clean.assign(channel="web", notes="gift wrap", coupon_code=None)),
             Succeeds(n)),
        Case("only_the_four_required_columns_other_names", "customer_orders",
             _csv(minimal), Succeeds(n), columns={"ordered_at": "order_date", "amount": "revenue"}),
        Case("upper_case_column_names", "customer_orders",
             _parquet(clean.rename(columns=str.upper)), Succeeds(n)),
        Case("json_lines_file", "customer_orders", _json(clean), Succeeds(n)),
        Case("glob_of_three_files", "customer_orders", _glob(clean), Succeeds(n)),
        Case("warehouse_table_with_other_names", "customer_orders", _csv(minimal), Succeeds(n),
             columns={"ordered_at": "order_date", "amount": "revenue"}, table="main.delivered_orders"),
        Case("table_var_names_a_missing_table", "customer_orders", _csv(minimal),
             Fails(("customer_orders_table", "`main.missing`", "not in the warehouse")),
             columns={"ordered_at": "order_date", "amount": "revenue"}, table="main.missing"),
        Case("missing_required_column", "customer_orders",
             _parquet(clean.drop(columns=["amount"])),
             Fails(("raw.customer_orders", "no column `amount`", "required", "Columns found: order_id",
                    "customer_orders_columns"))),
        Case("mapping_to_a_column_the_file_lacks", "customer_orders",
             _csv(minimal), Fails(("raw.customer_orders", "no column `revenu`", "customer_orders_columns")),
             columns={"ordered_at": "order_date", "amount": "revenu"}),
        Case("mapping_names_an_unknown_column", "customer_orders",
             _parquet(clean), Fails(("customer_orders_columns", "`price`", "not a column of raw.customer_orders")),
             columns={"price": "amount"}),
        Case("empty_parquet_file", "customer_orders", _parquet(clean.iloc[:0]),
             Fails(("raw.customer_orders", "has no rows", "customer_orders_path"))),
        Case("header_only_csv", "customer_orders", _csv(clean.iloc[:0]),
             Fails(("raw.customer_orders", "has no rows"))),
    ]


def _other_cases() -> list[Case]:
    catalogue = clean_catalogue()
    bad_models = pd.DataFrame([
        {"model_id": None, "creator": "Lab 1", "intelligence_index": "50", "blended_price_per_1m_tokens": "1"},
        {"model_id": "b1", "creator": None, "intelligence_index": "50", "blended_price_per_1m_tokens": "1"},
        {"model_id": "b2", "creator": "Lab 1", "intelligence_index": "high", "blended_price_per_1m_tokens": "1"},
        {"model_id": "b3", "creator": "Lab 1", "intelligence_index": "150", "blended_price_per_1m_tokens": "1"},
        {"model_id": "b4", "creator": "Lab 1", "intelligence_index": "50", "blended_price_per_1m_tokens": "free"},
        {"model_id": "b5", "creator": "Lab 1", "intelligence_index": "50", "blended_price_per_1m_tokens": "-2"},
        {"model_id": "b6", "creator": "Lab 1", "intelligence_index": "50", "blended_price_per_1m_tokens": "1",
         "median_output_speed_tps": "fast"},
        {"model_id": "b7", "creator": "Lab 1", "intelligence_index": "50", "blended_price_per_1m_tokens": "1",
         "median_output_speed_tps": "-3"},
    ]).assign(model_name="bad", release_date="2025-01-01")
    bad_models["median_output_speed_tps"] = bad_models["median_output_speed_tps"].fillna("50")
    sales = clean_sales()
    bad_sales = pd.DataFrame([
        {"dfu_id": None, "month": "2024-03-01", "demand": "5"},
        {"dfu_id": "D1", "month": "Q3 2024", "demand": "5"},
        {"dfu_id": "D1", "month": "2024-13-01", "demand": "5"},
        {"dfu_id": "D2", "month": "2025-02-01", "demand": "lots"},
        {"dfu_id": "D2", "month": "2025-03-01", "demand": None},
        {"dfu_id": "D3", "month": "2025-04-01", "demand": "-4"},
    ])
    sales_renamed = sales.rename(columns={"dfu_id": "sku", "month": "period", "demand": "units"})
    return [
        Case("catalogue_bad_values", "ai_models",
             _csv(pd.concat([catalogue.astype(object), bad_models], ignore_index=True), "catalogue.csv"),
             Quarantined({"missing_model_id": 1, "missing_creator": 1, "non_numeric_intelligence_index": 1,
                          "intelligence_index_out_of_range": 1, "non_numeric_price": 1, "negative_price": 1,
                          "non_numeric_speed": 1, "negative_speed": 1})),
        Case("catalogue_without_optional_columns", "ai_models",
             _parquet(catalogue.drop(columns=["model_name", "release_date"]), "catalogue.parquet"),
             Succeeds(len(catalogue))),
        Case("sales_bad_values", "fact_sales_monthly",
             _csv(pd.concat([sales.astype(object), bad_sales], ignore_index=True), "sales.csv"),
             Quarantined({"missing_dfu_id": 1, "invalid_month": 2, "non_numeric_demand": 1,
                          "missing_demand": 1, "negative_demand": 1})),
        Case("sales_other_column_names", "fact_sales_monthly", _csv(sales_renamed, "sales.csv"),
             Succeeds(len(sales)), columns={"dfu_id": "sku", "month": "period", "demand": "units"}),
    ]


CASES: list[Case] = _orders_cases() + _other_cases()

# per raw table: its path var, its mapping var and the staging models to build
SOURCES = {
    "customer_orders": ("customer_orders_path", "customer_orders_columns",
                        "stg_customer_orders_validated stg_customer_orders stg_customer_orders_quarantine",
                        "stg_customer_orders"),
    "ai_models": ("ai_models_path", "ai_models_columns",
                  "stg_ai_models_validated stg_ai_models stg_ai_models_quarantine", "stg_ai_models"),
    "fact_sales_monthly": ("sales_monthly_path", "sales_monthly_columns",
                           "stg_sales_monthly_validated stg_sales_monthly stg_sales_monthly_quarantine",
                           "stg_sales_monthly"),
}
