"""Shape of the benchmark harness (benchmarks are measured by ``make bench``, not asserted)."""

from __future__ import annotations

from pathlib import Path

from cluster_marts.bench import STAGES, dbt_command


def test_stage_table_is_ordered_and_named() -> None:
    names = [name for name, _ in STAGES]
    assert names[0] == "seed" and len(set(names)) == len(names)
    assert all(args and args[0] in {"seed", "run", "build"} for _, args in STAGES)


def test_dbt_command_points_at_the_bench_files(tmp_path: Path) -> None:
    cmd = dbt_command(["run"], tmp_path, tmp_path / "raw" / "ai_models.parquet")
    assert Path(cmd[0]).name == "dbt" and cmd[1] == "run"
    assert str(tmp_path / "raw" / "ai_models.parquet") in cmd[cmd.index("--vars") + 1]
    assert cmd[cmd.index("--target-path") + 1] == str(tmp_path / "target")
