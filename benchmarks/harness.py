"""``python -m benchmarks`` (``make bench``): time the dbt build stage by stage against a baseline.

Benchmarks are measured, not asserted: nothing here runs in the test suite.
The harness

1. writes the synthetic demo data at the requested scale into ``<workdir>/raw``
   in a child process, timed as the ``demo data`` stage (wall seconds and peak
   memory of the generator, printed first and written to the JSON as
   ``demo_data``; not counted in the dbt totals): Linux charges a child's ``ru_maxrss`` with the RSS
   of the process it was forked from, so this process must stay small;
2. runs each stage of :data:`STAGES` as its own ``dbt`` process from the project
   root, on a fresh DuckDB file ``<workdir>/bench.duckdb``, recording wall
   seconds and the child's peak resident memory;
3. runs each domain's plain pandas + scikit-learn baseline (:data:`BASELINES`:
   :mod:`benchmarks.baseline`, :mod:`benchmarks.demand_baseline`,
   :mod:`benchmarks.customers_baseline`) the same way;
4. prints a table (stages, then per-domain dbt vs baseline totals and ratios)
   (:mod:`benchmarks.report`) and writes the same information to
   ``<workdir>/bench_results.json``.

Adding a domain to the benchmark is its lines in :data:`STAGES`, its
baseline in :data:`BASELINES` and its raw file's dbt var in :data:`RAW_VARS`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import NamedTuple

from benchmarks.report import StageResult, format_table, name_width, summarise


class Stage(NamedTuple):
    """One measured dbt process: its domain ("shared" for both), name and dbt arguments."""

    domain: str
    name: str
    args: list[str]


#: Run in order. "shared" stages count in the overall total only.
STAGES: list[Stage] = [
    Stage("shared", "seed", ["seed"]),
    Stage("provider", "staging+features", ["run", "-s", "path:models/staging/providers",
                                           "path:models/features/providers"]),
    Stage("provider", "k_selection", ["run", "-s", "int_provider_k_selection"]),
    Stage("provider", "clustering", ["run", "-s", "path:python_models/providers",
                                     "--exclude", "int_provider_k_selection"]),
    Stage("provider", "marts", ["run", "-s", "path:models/marts/providers"]),
    Stage("demand", "demand staging+features", ["run", "-s", "path:models/staging/demand",
                                                "path:models/features/demand"]),
    Stage("demand", "demand clustering", ["run", "-s", "path:python_models/demand"]),
    Stage("demand", "demand marts", ["run", "-s", "path:models/marts/demand"]),
    Stage("customers", "customers staging+features", ["run", "-s", "path:models/staging/customers",
                                                      "path:models/features/customers"]),
    Stage("customers", "customers segmentation", ["run", "-s", "path:python_models/customers"]),
    Stage("customers", "customers marts", ["run", "-s", "path:models/marts/customers"]),
]
#: domain -> (baseline module, raw file it reads), run as ``python -m <module> <raw file>``.
BASELINES: dict[str, tuple[str, str]] = {
    "provider": ("benchmarks.baseline", "ai_models.parquet"),
    "demand": ("benchmarks.demand_baseline", "fact_sales_monthly.parquet"),
    "customers": ("benchmarks.customers_baseline", "customer_orders.parquet"),
}
#: dbt var -> demo file name in the benchmark's raw directory, beside ai_models.parquet.
RAW_VARS: dict[str, str] = {
    "sales_monthly_path": "fact_sales_monthly.parquet",
    "dim_item_path": "dim_item.parquet",
    "dim_dfu_path": "dim_dfu.parquet",
    "customer_orders_path": "customer_orders.parquet",
}
SEED = 42
DEMO_STAGE = "demo data"
REGION_SEED = Path("seeds/provider_regions.csv")
TAIL_LINES = 40


def measure(name: str, cmd: list[str], env: dict[str, str], log: Path,
            domain: str = "") -> tuple[StageResult, str]:
    """Run ``cmd`` to completion, measuring it; fail loudly when it fails.

    The child's stdout and stderr go to ``log``. Returns its
    :class:`StageResult` (wall seconds; peak RSS from ``ru_maxrss``, KiB on
    Linux) and everything it wrote. Raises :class:`RuntimeError` when it exits
    non-zero, the message ending with the tail of its output.
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
    return StageResult(name, round(seconds, 3), round(usage.ru_maxrss / 1024, 1), domain), output


def dbt_command(args: list[str], workdir: Path, raw_models: Path) -> list[str]:
    """The dbt invocation of one stage, pointed at the benchmark's raw files.

    ``raw_models`` is the catalogue; the other files (:data:`RAW_VARS`) are
    read from the same directory. Artifacts and dbt's own log go under
    ``workdir`` so a benchmark never touches the project's ``target/``.
    """
    dbt = str(Path(sys.executable).parent / "dbt")
    raw_vars = {"ai_models_path": str(raw_models),
                **{var: str(raw_models.parent / name) for var, name in RAW_VARS.items()}}
    return [dbt, *args, "--vars", json.dumps(raw_vars),
            "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]


def demo_command(scale: str, raw: Path) -> list[str]:
    """``cluster-marts demo`` at ``scale`` into ``raw``, with the benchmark's fixed seed."""
    return [sys.executable, "-m", "cluster_marts.cli", "demo", "--scale", scale, "--out", str(raw),
            "--seed", str(SEED)]


def run_demo_stage(scale: str, workdir: Path) -> StageResult:
    """Write the demo data into ``<workdir>/raw`` as a measured child process (domain ``data``)."""
    result = measure(DEMO_STAGE, demo_command(scale, workdir / "raw"), dict(os.environ),
                     workdir / "logs" / "demo_data.log", "data")[0]
    print(f"  {DEMO_STAGE:<{name_width([s.name for s in STAGES])}} {result.seconds:8.2f} s")
    return result


def run_dbt_stages(workdir: Path, raw_models: Path) -> list[StageResult]:
    """Run every stage of :data:`STAGES` on a fresh database under ``workdir``."""
    database = workdir / "bench.duckdb"
    database.unlink(missing_ok=True)
    env = {**os.environ, "CLUSTER_MARTS_DB": str(database), "DBT_PROFILES_DIR": str(Path.cwd())}
    width = name_width([*(s.name for s in STAGES), *(f"{d} baseline" for d in BASELINES)])
    results = []
    for stage in STAGES:
        log = workdir / "logs" / f"{stage.name.replace('+', '_').replace(' ', '_')}.log"
        cmd = dbt_command(stage.args, workdir, raw_models)
        results.append(measure(stage.name, cmd, env, log, stage.domain)[0])
        print(f"  {stage.name:<{width}} {results[-1].seconds:8.2f} s")
    return results


def baseline_command(domain: str, raw_dir: Path) -> list[str]:
    """Command line of ``domain``'s baseline (:data:`BASELINES`) on the files in ``raw_dir``."""
    module, raw_file = BASELINES[domain]
    cmd = [sys.executable, "-m", module, str(raw_dir / raw_file)]
    if domain == "provider" and REGION_SEED.exists():
        cmd += ["--regions", str(REGION_SEED.resolve())]
    return cmd


def run_baselines(workdir: Path, raw_dir: Path) -> dict[str, tuple[StageResult, dict]]:
    """Run every baseline as a child process: domain -> (measure, its own JSON report)."""
    width = name_width([*(s.name for s in STAGES), *(f"{d} baseline" for d in BASELINES)])
    results = {}
    for domain in BASELINES:
        name, log = f"{domain} baseline", workdir / "logs" / f"{domain}_baseline.log"
        result, output = measure(name, baseline_command(domain, raw_dir), dict(os.environ),
                                 log, domain)
        results[domain] = (result, json.loads(output.strip().splitlines()[-1]))
        print(f"  {name:<{width}} {result.seconds:8.2f} s")
    return results


def run_bench(scale: str = "large", workdir: str | Path = "bench_results") -> int:
    """Benchmark the dbt build against the pandas/scikit-learn baselines, per domain.

    ``scale`` ("small", "medium", "large") sizes the synthetic demo data;
    ``workdir`` receives the raw data, the DuckDB file, the stage logs and
    ``bench_results.json``. Returns the exit code: 0, or 1 when a stage failed.
    """
    workdir = Path(workdir).resolve()
    raw = workdir / "raw"
    raw_models = raw / "ai_models.parquet"
    try:
        print(f"synthetic demo data (scale={scale}, seed={SEED}):")
        demo = run_demo_stage(scale, workdir)
        print(f"dbt build, stage by stage (scale={scale}):")
        stages = run_dbt_stages(workdir, raw_models)
        print("baselines (pandas + scikit-learn):")
        baselines = run_baselines(workdir, raw)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    summary = summarise(stages, baselines)
    print(format_table([demo, *stages], summary))
    total = summary["total"]
    report = {
        "scale": scale,
        "demo_data": asdict(demo),
        "dbt_stages": [asdict(s) for s in stages],
        "dbt_total_seconds": total["dbt_seconds"],
        "dbt_peak_mib": total["dbt_peak_mib"],
        "baselines": {d: {**asdict(b), "in_process": inner} for d, (b, inner) in baselines.items()},
        "baseline_total_seconds": total["baseline_seconds"],
        "domains": summary,
        "ratio_dbt_to_baseline": total["ratio_dbt_to_baseline"],
    }
    (workdir / "bench_results.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {workdir / 'bench_results.json'}")
    return 0
