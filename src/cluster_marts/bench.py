"""``cluster-marts bench``: time the dbt build stage by stage against a baseline.

Benchmarks are measured, not asserted: nothing here runs in the test suite.
The harness

1. writes the synthetic demo data at the requested scale into ``<workdir>/raw``;
2. runs each stage of :data:`STAGES` as its own ``dbt`` process from the project
   root, on a fresh DuckDB file ``<workdir>/bench.duckdb``, recording wall
   seconds and the child's peak resident memory;
3. runs the plain pandas + scikit-learn baseline
   (:mod:`cluster_marts.bench_baseline`) the same way;
4. prints a table and writes ``<workdir>/bench_results.json``.

Adding a domain to the benchmark is one more line in :data:`STAGES`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from cluster_marts.demo import run_demo

#: (stage name, dbt arguments), run in order.
STAGES: list[tuple[str, list[str]]] = [
    ("seed", ["seed"]),
    ("staging+features", ["run", "-s", "path:models/staging/providers",
                          "path:models/features/providers"]),
    ("k_selection", ["run", "-s", "int_provider_k_selection"]),
    ("clustering", ["run", "-s", "path:python_models/providers",
                    "--exclude", "int_provider_k_selection"]),
    ("marts", ["run", "-s", "path:models/marts/providers"]),
    ("demand staging+features", ["run", "-s", "path:models/staging/demand", "path:models/features/demand"]),
    ("demand clustering", ["run", "-s", "path:python_models/demand"]),
    ("demand marts", ["run", "-s", "path:models/marts/demand"]),
]
#: dbt var -> demo file name in the benchmark's raw directory, beside ai_models.parquet.
RAW_VARS: dict[str, str] = {
    "sales_monthly_path": "fact_sales_monthly.parquet",
    "dim_item_path": "dim_item.parquet",
    "dim_dfu_path": "dim_dfu.parquet",
}
SEED = 42
REGION_SEED = Path("seeds/provider_regions.csv")
TAIL_LINES = 40


@dataclass(frozen=True)
class StageResult:
    """Wall seconds and peak resident memory (MiB) of one measured process."""

    stage: str
    seconds: float
    peak_mib: float


def measure(name: str, cmd: list[str], env: dict[str, str], log: Path) -> tuple[StageResult, str]:
    """Run ``cmd`` to completion, measuring it; fail loudly when it fails.

    Parameters
    ----------
    name : str
        Stage name, for the result and the error message.
    cmd : list of str
        Command line of the child process.
    env : dict
        Its environment.
    log : path
        File receiving the child's stdout and stderr.

    Returns
    -------
    result : StageResult
        Wall seconds and peak RSS (``ru_maxrss``, KiB on Linux) of the child.
    stdout : str
        Everything the child wrote.

    Raises
    ------
    RuntimeError
        When the child exits non-zero; the message ends with its output's tail.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with log.open("w") as sink:
        proc = subprocess.Popen(cmd, env=env, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
    output = log.read_text()
    if proc.returncode != 0:
        tail = "\n".join(output.splitlines()[-TAIL_LINES:])
        raise RuntimeError(f"bench stage {name!r} failed (exit {proc.returncode}): "
                           f"{' '.join(cmd)}\n--- last lines of {log} ---\n{tail}")
    return StageResult(name, round(seconds, 3), round(usage.ru_maxrss / 1024, 1)), output


def dbt_command(args: list[str], workdir: Path, raw_models: Path) -> list[str]:
    """The dbt invocation of one stage, pointed at the benchmark's raw files.

    ``raw_models`` is the catalogue; the demand files (:data:`RAW_VARS`) are
    read from the same directory. Artifacts and dbt's own log go under
    ``workdir`` so a benchmark never touches the project's ``target/``.
    """
    dbt = str(Path(sys.executable).parent / "dbt")
    raw_vars = {"ai_models_path": str(raw_models),
                **{var: str(raw_models.parent / name) for var, name in RAW_VARS.items()}}
    return [dbt, *args, "--vars", json.dumps(raw_vars),
            "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]


def run_dbt_stages(workdir: Path, raw_models: Path) -> list[StageResult]:
    """Run every stage of :data:`STAGES` on a fresh database under ``workdir``."""
    database = workdir / "bench.duckdb"
    database.unlink(missing_ok=True)
    env = {**os.environ, "CLUSTER_MARTS_DB": str(database),
           "DBT_PROFILES_DIR": str(Path.cwd())}
    results = []
    for name, args in STAGES:
        log = workdir / "logs" / f"{name.replace('+', '_')}.log"
        results.append(measure(name, dbt_command(args, workdir, raw_models), env, log)[0])
        print(f"  {name:<18} {results[-1].seconds:8.2f} s")
    return results


def run_baseline(workdir: Path, raw_models: Path) -> tuple[StageResult, dict]:
    """Run :mod:`cluster_marts.bench_baseline` as a child process, measuring it."""
    cmd = [sys.executable, "-m", "cluster_marts.bench_baseline", str(raw_models)]
    if REGION_SEED.exists():
        cmd += ["--regions", str(REGION_SEED.resolve())]
    result, output = measure("baseline", cmd, dict(os.environ), workdir / "logs" / "baseline.log")
    return result, json.loads(output.strip().splitlines()[-1])


def format_table(stages: list[StageResult], baseline: StageResult, inner: dict) -> str:
    """Printable table of the dbt stages, the baseline and their ratio."""
    dbt_total = sum(s.seconds for s in stages)
    lines = [f"{'stage':<20} {'seconds':>9} {'peak MiB':>9}", "-" * 40]
    lines += [f"{s.stage:<20} {s.seconds:9.2f} {s.peak_mib:9.1f}" for s in stages]
    lines += ["-" * 40,
              f"{'dbt total':<20} {dbt_total:9.2f} {max(s.peak_mib for s in stages):9.1f}",
              f"{'baseline total':<20} {baseline.seconds:9.2f} {baseline.peak_mib:9.1f}",
              f"{'  (in-process)':<20} {inner['total_seconds']:9.2f}",
              f"dbt / baseline: {dbt_total / baseline.seconds:.1f}x"]
    return "\n".join(lines)


def run_bench(scale: str = "large", workdir: str | Path = "bench_results") -> int:
    """Benchmark the dbt build against the pandas/scikit-learn baseline.

    Parameters
    ----------
    scale : {"small", "medium", "large"}
        Size of the synthetic demo data to build.
    workdir : str or path
        Directory for the raw data, the DuckDB file, stage logs and
        ``bench_results.json``.

    Returns
    -------
    int
        Exit code: 0 on success, 1 when a stage failed.
    """
    workdir = Path(workdir).resolve()
    raw = workdir / "raw"
    run_demo(scale=scale, out=raw, seed=SEED)
    raw_models = raw / "ai_models.parquet"
    try:
        print(f"dbt build, stage by stage (scale={scale}):")
        stages = run_dbt_stages(workdir, raw_models)
        baseline, inner = run_baseline(workdir, raw_models)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    print(format_table(stages, baseline, inner))
    dbt_total = sum(s.seconds for s in stages)
    report = {
        "scale": scale,
        "dbt_stages": [asdict(s) for s in stages],
        "dbt_total_seconds": round(dbt_total, 3),
        "dbt_peak_mib": max(s.peak_mib for s in stages),
        "baseline": {**asdict(baseline), "in_process": inner},
        "ratio_dbt_to_baseline": round(dbt_total / baseline.seconds, 3),
    }
    (workdir / "bench_results.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {workdir / 'bench_results.json'}")
    return 0
