"""Shape of the benchmark harness (benchmarks are measured by ``make bench``, not asserted)."""

from __future__ import annotations

from pathlib import Path

from cluster_marts.bench import (
    BASELINES,
    STAGES,
    StageResult,
    baseline_command,
    dbt_command,
    format_table,
    summarise,
)


def test_stage_table_is_ordered_and_named() -> None:
    names = [stage.name for stage in STAGES]
    assert names[0] == "seed" and len(set(names)) == len(names)
    assert all(stage.args and stage.args[0] in {"seed", "run", "build"} for stage in STAGES)


def test_every_domain_but_shared_has_a_baseline() -> None:
    domains = {stage.domain for stage in STAGES} - {"shared"}
    assert domains == set(BASELINES) == {"provider", "demand"}


def test_dbt_command_points_at_the_bench_files(tmp_path: Path) -> None:
    cmd = dbt_command(["run"], tmp_path, tmp_path / "raw" / "ai_models.parquet")
    assert Path(cmd[0]).name == "dbt" and cmd[1] == "run"
    assert str(tmp_path / "raw" / "ai_models.parquet") in cmd[cmd.index("--vars") + 1]
    assert cmd[cmd.index("--target-path") + 1] == str(tmp_path / "target")


def test_baseline_commands_read_their_own_raw_file(tmp_path: Path) -> None:
    demand = baseline_command("demand", tmp_path)
    assert demand[1:3] == ["-m", "cluster_marts.bench_demand_baseline"]
    assert demand[3] == str(tmp_path / "fact_sales_monthly.parquet")
    assert baseline_command("provider", tmp_path)[3] == str(tmp_path / "ai_models.parquet")


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
