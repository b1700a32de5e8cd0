"""Shape of the benchmark harness (benchmarks are measured by ``make bench``, not asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from benchmarks import customers_baseline as bench_customers_baseline
from benchmarks.harness import (
    BASELINES,
    DEMO_STAGE,
    RAW_VARS,
    SEED,
    STAGES,
    StageResult,
    baseline_command,
    dbt_command,
    demo_command,
    format_table,
    summarise,
)


def test_stage_table_is_ordered_and_named() -> None:
    names = [stage.name for stage in STAGES]
    assert names[0] == "seed" and len(set(names)) == len(names)
    assert all(stage.args and stage.args[0] in {"seed", "run", "build"} for stage in STAGES)


def test_every_domain_but_shared_has_a_baseline() -> None:
    domains = {stage.domain for stage in STAGES} - {"shared"}
    assert domains == set(BASELINES) == {"provider", "demand", "customers"}


def test_customer_stages_select_the_customer_paths_in_dag_order() -> None:
    customers = [stage for stage in STAGES if stage.domain == "customers"]
    assert [stage.name for stage in customers] == [
        "customers staging+features", "customers segmentation", "customers marts"]
    selected = [[a for a in stage.args if a.startswith("path:")] for stage in customers]
    assert selected == [["path:models/staging/customers", "path:models/features/customers"],
                        ["path:python_models/customers"], ["path:models/marts/customers"]]
    root = Path(__file__).resolve().parents[2]
    assert all((root / path.removeprefix("path:")).is_dir() for paths in selected for path in paths)


def test_raw_vars_cover_the_customer_orders() -> None:
    assert RAW_VARS["customer_orders_path"] == BASELINES["customers"][1] == "customer_orders.parquet"


def test_dbt_command_points_at_the_bench_files(tmp_path: Path) -> None:
    cmd = dbt_command(["run"], tmp_path, tmp_path / "raw" / "ai_models.parquet")
    assert Path(cmd[0]).name == "dbt" and cmd[1] == "run"
    raw_vars = json.loads(cmd[cmd.index("--vars") + 1])
    assert raw_vars["ai_models_path"] == str(tmp_path / "raw" / "ai_models.parquet")
    assert raw_vars["customer_orders_path"] == str(tmp_path / "raw" / "customer_orders.parquet")
    assert cmd[cmd.index("--target-path") + 1] == str(tmp_path / "target")


def test_demo_generation_is_a_measured_stage_of_its_own(tmp_path: Path) -> None:
    cmd = demo_command("small", tmp_path / "raw")
    assert cmd[1:4] == ["-m", "cluster_marts.cli", "demo"]
    assert cmd[cmd.index("--scale") + 1] == "small" and cmd[cmd.index("--out") + 1] == str(tmp_path / "raw")
    assert cmd[cmd.index("--seed") + 1] == str(SEED)
    assert DEMO_STAGE not in {stage.name for stage in STAGES}  # timed apart: not part of the dbt totals


def test_baseline_commands_read_their_own_raw_file(tmp_path: Path) -> None:
    demand = baseline_command("demand", tmp_path)
    assert demand[1:3] == ["-m", "benchmarks.demand_baseline"]
    assert demand[3] == str(tmp_path / "fact_sales_monthly.parquet")
    assert baseline_command("provider", tmp_path)[3] == str(tmp_path / "ai_models.parquet")
    customers = baseline_command("customers", tmp_path)
    assert customers[1:] == ["-m", "benchmarks.customers_baseline",
                             str(tmp_path / "customer_orders.parquet")]


def test_customer_baseline_reads_the_axes_of_the_python_models() -> None:
    meta = bench_customers_baseline.settings()
    models = yaml.safe_load(bench_customers_baseline.MODELS_YML.read_text())["models"]
    assert meta["axes"] == models[0]["config"]["meta"]["axes"] and "engagement" in meta["axes"]
    assert "{{" in meta["k_min"]  # dbt Jinja, not rendered: the baseline uses the var defaults
    assert (bench_customers_baseline.K_MIN, bench_customers_baseline.K_MAX) == (2, 8)


def test_summary_and_table_split_domains() -> None:
    stages = [StageResult("seed", 1.0, 10.0, "shared"),
              StageResult("staging+features", 2.0, 20.0, "provider"),
              StageResult("demand staging+features", 3.0, 30.0, "demand")]
    baselines = {"provider": (StageResult("provider baseline", 1.0, 5.0, "provider"),
                              {"total_seconds": 0.5}),
                 "demand": (StageResult("demand baseline", 1.5, 6.0, "demand"),
                            {"total_seconds": 1.0})}
    summary = summarise(stages, baselines)
    assert list(summary) == ["shared", "provider", "demand", "total"]
    assert summary["shared"]["ratio_dbt_to_baseline"] is None
    assert summary["demand"]["ratio_dbt_to_baseline"] == 2.0
    assert summary["total"]["dbt_seconds"] == 6.0 and summary["total"]["baseline_seconds"] == 2.5
    stage_rows = format_table(stages, summary).splitlines()[2:5]
    assert len({len(row) for row in stage_rows}) == 1  # columns line up


def test_customer_baseline_drops_bad_rows_and_builds_one_row_per_customer() -> None:
    raw = pd.DataFrame({
        "order_id": ["O1", "O2", "O2", "O3", "O4", " "],
        "customer_id": ["C1", "C1", "C1", "C2", "C2", "C3"],
        "ordered_at": pd.to_datetime(["2026-01-01 10:00", "2026-02-01 20:00", "2026-02-02 00:00",
                                      "2026-03-01 00:00", "2026-03-02 00:00", "2026-03-03 00:00"]),
        "amount": [10.0, 20.0, 30.0, -1.0, 5.0, 7.0],
        "item_count": [1, 2, 2, 1, 1, 1],
        "product_category": ["Fabric", "kits", "kits", "books", "books", "tools"],
        "is_returned": [False, True, False, False, False, False],
    })
    orders = bench_customers_baseline.clean(raw)
    assert sorted(orders["order_id"]) == ["O1", "O2", "O4"]  # duplicate, negative, blank id dropped
    table = bench_customers_baseline.features(orders)
    meta = bench_customers_baseline.settings()
    assert list(table.index) == ["C1", "C2"]
    assert {c for cols in meta["axes"].values() for c in cols} <= set(table.columns)
    assert table.loc["C1", "frequency"] == 2 and table.loc["C1", "share_fabric"] == 0.5
    assert table.loc["C1", "return_rate"] == 0.5 and table.loc["C2", "recency_days"] == 1.0
