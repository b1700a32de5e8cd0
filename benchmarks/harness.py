"""``python -m benchmarks`` (``make bench``): time the dbt build stage by stage against a baseline.

Benchmarks are measured, not asserted: nothing here runs in the test suite.
The harness

1. writes the synthetic demo data at the requested scale into its raw directory
   (:func:`raw_dir`: ``<workdir>/raw``, rewritten on every run, for the demo
   scales; ``<workdir>/raw<scale>``, reused when all its files are present, for
   the warehouse scales :data:`WAREHOUSE_SCALES`) in a child process, timed as
   the ``demo data`` stage (wall seconds and peak memory of the generator,
   printed first and written to the JSON as ``demo_data``; not counted in the
   dbt totals): Linux charges a child's ``ru_maxrss`` with the RSS of the
   process it was forked from, so this process must stay small;
2. runs each stage of :data:`STAGES` as its own ``dbt`` process from the project
   root, on a fresh DuckDB file ``<workdir>/bench.duckdb``, recording wall
   seconds and the child's peak resident memory;
3. runs each domain's plain pandas + scikit-learn baseline (:data:`BASELINES`:
   :mod:`benchmarks.baseline`, :mod:`benchmarks.demand_baseline`,
   :mod:`benchmarks.customers_baseline`) the same way (at the warehouse scales
   the demand baseline selects k on a 10 000-DFU sample);
4. runs the single-axis race (:mod:`benchmarks.race`) the same way;
5. measures the marts against the planted truth (:mod:`benchmarks.quality`),
   prints the tables (stages, per-domain dbt vs baseline totals and ratios,
   quality, race, targets: :mod:`benchmarks.report`, :mod:`benchmarks.targets`)
   and writes the same information to ``<workdir>/bench_results.json`` and
   ``<workdir>/bench_results_<scale>.json`` (the targets compare the 100k and
   1m runs found there).

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

from benchmarks.quality import warehouse_quality
from benchmarks.report import StageResult, format_quality, format_race, format_table, name_width, summarise
from benchmarks.targets import evaluate, format_targets, measurements


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
    Stage("provider", "clustering", ["run", "-s", "path:python_models/providers"]),
    Stage("provider", "marts", ["run", "-s", "path:models/marts/providers"]),
    Stage("demand", "demand staging+features", ["run", "-s", "path:models/staging/demand",
                                                "path:models/features/demand"]),
    Stage("demand", "demand clustering", ["run", "-s", "path:python_models/demand"]),
    Stage("demand", "demand marts", ["run", "-s", "path:models/marts/demand"]),
    Stage("customers", "customers staging+features", ["run", "-s", "path:models/staging/customers",
                                                      "path:models/features/customers"]),
    Stage("customers", "customers segmentation", ["run", "-s", "path:python_models/customers",
                                                  "--exclude", "int_customer_reference_model+",
                                                  "int_customer_lapse_scores", "int_customer_store_tests"]),
    # the reference fit and the view of its segment centres (the snapshots' names read it)
    Stage("customers", "customers reference model", ["run", "-s", "int_customer_reference_model",
                                                     "int_customer_reference_centres"]),
    # purchase histories (as of the build and per snapshot) and the value models fitted on them
    Stage("customers", "customers value", ["run", "-s", "path:models/features/value", "path:python_models/value"]),
    # the marts that do not descend from the reference model, then those that do (snapshot scoring, drift,
    # the lapse scores of the snapshots and their mart)
    # (the cross-store tests read customer_segments, a mart)
    Stage("customers", "customers segment marts", ["run", "-s", "path:models/marts/customers",
                                                   "int_customer_store_tests",
                                                   "--exclude", "int_customer_reference_model+"]),
    Stage("customers", "customers snapshots+drift", ["run", "-s",
                                                     "path:models/marts/customers,int_customer_reference_model+",
                                                     "int_customer_lapse_scores"]),
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
RACE_STAGE = "race: one axis, k=2..10"
#: Scales of the issue's scale series: their raw directory is kept and reused, the demand baseline samples.
WAREHOUSE_SCALES: tuple[str, ...] = ("100k", "1m", "5m")
BASELINE_SAMPLE = 10_000
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


def dbt_command(args: list[str], workdir: Path, raw_models: Path, extra_vars: dict | None = None) -> list[str]:
    """The dbt invocation of one stage, pointed at the benchmark's raw files.

    ``raw_models`` is the catalogue; the other files (:data:`RAW_VARS`) are
    read from the same directory; ``extra_vars`` adds or overrides dbt vars.
    Artifacts and dbt's own log go under ``workdir`` so a benchmark never
    touches the project's ``target/``.
    """
    dbt = str(Path(sys.executable).parent / "dbt")
    raw_vars = {"ai_models_path": str(raw_models),
                **{var: str(raw_models.parent / name) for var, name in RAW_VARS.items()}, **(extra_vars or {})}
    return [dbt, *args, "--vars", json.dumps(raw_vars),
            "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]


def raw_dir(workdir: Path, scale: str) -> Path:
    """The demo files of ``scale``: ``<workdir>/raw`` for the demo scales, ``<workdir>/raw<scale>`` else."""
    return workdir / (f"raw{scale}" if scale in WAREHOUSE_SCALES else "raw")


def demo_command(scale: str, raw: Path) -> list[str]:
    """``cluster-marts demo`` at ``scale`` into ``raw``, with the benchmark's fixed seed.

    At the warehouse scales with ``--if-absent``: a raw directory already holding every file is reused.
    """
    reuse = ["--if-absent"] if scale in WAREHOUSE_SCALES else []
    return [sys.executable, "-m", "cluster_marts.cli", "demo", "--scale", scale, "--out", str(raw),
            "--seed", str(SEED), *reuse]


def run_demo_stage(scale: str, workdir: Path, raw: Path) -> StageResult:
    """Write the demo data into ``raw`` as a measured child process (domain ``data``)."""
    result, output = measure(DEMO_STAGE, demo_command(scale, raw), dict(os.environ),
                             workdir / "logs" / "demo_data.log", "data")
    note = " (present, reused)" if "skipping" in output else ""
    print(f"  {DEMO_STAGE:<{name_width([s.name for s in STAGES])}} {result.seconds:8.2f} s{note}")
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


def baseline_command(domain: str, raw_dir: Path, scale: str = "large") -> list[str]:
    """Command line of ``domain``'s baseline (:data:`BASELINES`) on the files in ``raw_dir``.

    At the warehouse scales the demand baseline selects k on :data:`BASELINE_SAMPLE` DFUs.
    """
    module, raw_file = BASELINES[domain]
    cmd = [sys.executable, "-m", module, str(raw_dir / raw_file)]
    if domain == "provider" and REGION_SEED.exists():
        cmd += ["--regions", str(REGION_SEED.resolve())]
    if domain == "demand" and scale in WAREHOUSE_SCALES:
        cmd += ["--sample", str(BASELINE_SAMPLE)]
    return cmd


def race_command(workdir: Path, raw_dir: Path) -> list[str]:
    """The single-axis race (:mod:`benchmarks.race`) on the bench DuckDB."""
    return [sys.executable, "-m", "benchmarks.race", str(workdir / "bench.duckdb"), str(raw_dir)]


def run_race(workdir: Path, raw_dir: Path) -> tuple[StageResult, dict]:
    """The race as a measured child process (domain ``customers``): (measure, its JSON report)."""
    result, output = measure(RACE_STAGE, race_command(workdir, raw_dir), dict(os.environ),
                             workdir / "logs" / "race.log", "customers")
    print(f"  {RACE_STAGE:<{name_width([s.name for s in STAGES])}} {result.seconds:8.2f} s")
    return result, json.loads(output.strip().splitlines()[-1])


def run_baselines(workdir: Path, raw_dir: Path, scale: str = "large") -> dict[str, tuple[StageResult, dict]]:
    """Run every baseline as a child process: domain -> (measure, its own JSON report)."""
    width = name_width([*(s.name for s in STAGES), *(f"{d} baseline" for d in BASELINES)])
    results = {}
    for domain in BASELINES:
        name, log = f"{domain} baseline", workdir / "logs" / f"{domain}_baseline.log"
        result, output = measure(name, baseline_command(domain, raw_dir, scale), dict(os.environ),
                                 log, domain)
        results[domain] = (result, json.loads(output.strip().splitlines()[-1]))
        print(f"  {name:<{width}} {result.seconds:8.2f} s")
    return results


def run_bench(scale: str = "large", workdir: str | Path = "bench_results", raw: str | Path | None = None) -> int:
    """Benchmark the dbt build against the pandas/scikit-learn baselines, per domain.

    ``scale`` (one of ``cluster-marts demo --scale``) sizes the synthetic demo
    data; ``workdir`` receives the raw data (or ``raw``, when given: an existing
    demo directory of that scale is reused), the DuckDB file, the stage logs and
    the JSON results. Returns the exit code: 0, or 1 when a stage failed.
    """
    workdir = Path(workdir).resolve()
    raw = Path(raw).resolve() if raw else raw_dir(workdir, scale)
    try:
        print(f"synthetic demo data (scale={scale}, seed={SEED}) in {raw}:")
        demo = run_demo_stage(scale, workdir, raw)
        print(f"dbt build, stage by stage (scale={scale}):")
        stages = run_dbt_stages(workdir, raw / "ai_models.parquet")
        print("baselines (pandas + scikit-learn):")
        baselines = run_baselines(workdir, raw, scale)
        print("single-axis race (engine vs k-means sweep, same process):")
        race_result, race = run_race(workdir, raw)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    summary = summarise(stages, baselines)
    quality = warehouse_quality(workdir / "bench.duckdb", raw)
    total = summary["total"]
    report = {
        "scale": scale,
        "raw_dir": str(raw),
        "demo_data": asdict(demo),
        "dbt_stages": [asdict(s) for s in stages],
        "dbt_total_seconds": total["dbt_seconds"],
        "dbt_peak_mib": total["dbt_peak_mib"],
        "baselines": {d: {**asdict(b), "in_process": inner} for d, (b, inner) in baselines.items()},
        "baseline_total_seconds": total["baseline_seconds"],
        "domains": summary,
        "ratio_dbt_to_baseline": total["ratio_dbt_to_baseline"],
        "quality": quality,
        "race": {**race, "process": asdict(race_result)},
    }
    others = {other: json.loads(path.read_text()) for other in WAREHOUSE_SCALES
              if other != scale and (path := workdir / f"bench_results_{other}.json").exists()}
    report["targets"] = evaluate(measurements(report, others), scale)
    print(format_table([demo, *stages, race_result], summary))
    print(format_quality(quality, {d: inner for d, (_, inner) in baselines.items()}))
    print(format_race(race))
    print(format_targets(report["targets"], scale))
    for name in ("bench_results.json", f"bench_results_{scale}.json"):
        (workdir / name).write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {workdir / name}")
    return 0
