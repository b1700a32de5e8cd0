"""``python -m benchmarks.lapse_eval`` (``make evaluate-lapse``): the lapse score on a calibration / holdout split.

For each generator (:data:`GENERATORS`: the demo, ``cluster-marts demo --scale small --seed 42``, truth in
``demo_truth_drift.parquet``; and :mod:`benchmarks.lapse_generator`, seed 7, 2 000 customers, truth in
``lapse_truth.parquet``) and each horizon ``N`` in :data:`HORIZONS`:

1. the calibration date ``C`` is the first day of the month of (the day after the last usable order - ``N`` days);
2. the raw orders before ``C`` (returns from ``C`` on undone) are written to a file and the customer marts
   are built on it alone into a scratch warehouse: ``dbt build --select +customer_lapse_risk`` with
   ``customer_orders_path`` = that file, ``customer_as_of_date`` = ``C`` and ``customer_lapse_horizon_days``
   = ``N`` (so the score predicts the evaluated horizon; the other sources: the demo files), through
   :func:`benchmarks.harness.dbt_command` / :func:`benchmarks.harness.measure`;
3. every customer with a usable order before ``C`` that the latest snapshot of ``customer_lapse_risk`` scores
   is labelled by "no order in ``[C, C + N)``" from the full orders (C is the first day of the month of
   end - N, so the latest monthly snapshot ends at ``C`` and every scorer sees the same orders; the gap is
   printed and written to the JSON);
4. three scorers rank them: ``lapse_score`` at the latest snapshot; ``days_since_last_order`` at ``C``;
   ``bgnbd_p_no_order``, the BG/NBD probability of no purchase in the next ``N`` days
   (:class:`cluster_marts.lapse.bgnbd.BGNBD`, fitted on the calibration orders);
5. metrics (definitions: :mod:`benchmarks.lapse_metrics`): ROC AUC, precision at the top 5 % and 10 %,
   and the median lead time of the planted lapsers. A scorer's *flags* at a snapshot: for ``lapse_score``
   the mart's ``is_lapsing``; for a baseline, its ``k`` highest scores at that snapshot (computed from the
   orders before the snapshot's end), ``k`` being the number of customers ``is_lapsing`` flags there, so
   every scorer raises as many alerts. Plus the recipe of docs/drift_and_lapse.md: ``is_lapsing`` at the
   latest snapshot, precision and recall against the planted lapsers over all customers.

Prints one table and writes it, with the run details, to ``<workdir>/lapse_eval.json`` (scratch files
under ``<workdir>/lapse/``) and the ROC curves to ``<workdir>/lapse_roc.png``. Fails with a clear message
when the project has no ``customer_lapse_risk`` model.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from benchmarks import lapse_generator
from benchmarks.harness import SEED, dbt_command, demo_command, measure
from benchmarks.lapse_metrics import (
    DAY,
    bgnbd_no_purchase,
    calibration_orders,
    customer_history,
    lead_times,
    outcome_labels,
    ranking_metrics,
    recipe_scores,
    top_k_flags,
    usable_orders,
)
from benchmarks.lapse_report import format_table, plot_lapser_timeline, plot_roc, plot_scores_by_label, table_rows

__all__ = ["GENERATORS", "HORIZONS", "MART", "MissingMart", "evaluate", "main"]

MART = "customer_lapse_risk"
GENERATORS: tuple[str, ...] = ("demo", "lapse_generator")
HORIZONS: tuple[int, ...] = (90, 180)
SCORERS: tuple[str, ...] = ("lapse_score", "days_since_last_order", "bgnbd_p_no_order")
MART_COLUMNS = ("customer_id", "snapshot_date", "lapse_score", "is_lapsing")
GENERATOR_CUSTOMERS, GENERATOR_SEED = 2_000, 7


class MissingMart(RuntimeError):
    """The project or the scratch warehouse has no ``customer_lapse_risk`` to evaluate."""


def require_mart(project: Path) -> None:
    """Refuse to start when no model file defines ``customer_lapse_risk``."""
    if not any(path.stem == MART for folder in ("models", "python_models") for path in (project / folder).rglob("*.*")
               if path.suffix in (".sql", ".py")):
        raise MissingMart(f"the lapse evaluation scores the mart {MART}, but this project has no model of that "
                          f"name (models/**/{MART}.sql); build it first (issue 12: lapse-risk mart), then rerun "
                          "make evaluate-lapse")


def prepare(name: str, scratch: Path) -> tuple[Path, pd.DataFrame]:
    """Write the generator's data under ``scratch``; returns (orders file, truth with the lapse columns)."""
    demo = scratch / "demo"
    if name == "demo":
        if not (demo / "demo_truth_drift.parquet").exists():
            measure("demo data", demo_command("small", demo), dict(os.environ), scratch / "logs" / "demo.log")
        truth = pd.read_parquet(demo / "demo_truth_drift.parquet").rename(
            columns={"is_drifter": "is_lapser", "drift_start": "lapse_start", "drift_kind": "lapse_kind"})
        return demo / "customer_orders.parquet", truth
    out = lapse_generator.write(scratch / name, GENERATOR_CUSTOMERS, GENERATOR_SEED)
    return out / "customer_orders.parquet", pd.read_parquet(out / "lapse_truth.parquet")


def build_marts(run: Path, demo: Path, orders_file: Path, cut: pd.Timestamp, horizon: int) -> float:
    """``dbt build --select +customer_lapse_risk`` on the calibration file into ``run/lapse.duckdb``; seconds."""
    database = run / "lapse.duckdb"
    database.unlink(missing_ok=True)
    env = {**os.environ, "CLUSTER_MARTS_DB": str(database), "DBT_PROFILES_DIR": str(Path.cwd())}
    # cautious: only the tests whose every parent is built (not e.g. relationships to other marts)
    cmd = dbt_command(["build", "--select", f"+{MART}", "--indirect-selection", "cautious"], run,
                      demo / "ai_models.parquet",
                      {"customer_orders_path": str(orders_file), "customer_as_of_date": cut.date().isoformat(),
                       "customer_lapse_horizon_days": horizon})
    return measure(f"dbt build +{MART}", cmd, env, run / "logs" / "dbt_build.log", "lapse")[0].seconds


def read_mart(database: Path) -> pd.DataFrame:
    """Every row of ``customer_lapse_risk`` in the scratch warehouse (checked columns)."""
    with duckdb.connect(str(database), read_only=True) as con:
        found = con.execute("select table_schema from information_schema.tables where table_name = ?",
                            [MART]).fetchall()
        if not found:
            raise MissingMart(f"dbt build finished but {database} has no table {MART}")
        mart = con.execute(f'select * from "{found[0][0]}".{MART}').df()
    missing = [c for c in MART_COLUMNS if c not in mart.columns]
    if missing:
        raise MissingMart(f"{MART} lacks column(s) {', '.join(missing)} that the evaluation reads")
    mart["snapshot_date"] = pd.to_datetime(mart["snapshot_date"])
    return mart


def snapshot_flags(mart: pd.DataFrame, usable: pd.DataFrame, horizon: int) -> dict[str, pd.DataFrame]:
    """(customer_id, snapshot_date) flagged by each scorer at each snapshot (module docstring, step 5)."""
    rows: dict[str, list] = {scorer: [] for scorer in SCORERS}
    for date, at_date in mart.groupby("snapshot_date"):
        flagged = at_date.loc[at_date["is_lapsing"].eq(True), "customer_id"]
        rows["lapse_score"] += [(c, date) for c in flagged]
        history = customer_history(usable, date + DAY)
        if flagged.empty or (history["x"] == 0).all():
            continue
        scored = history.index.intersection(at_date["customer_id"])
        baselines = {"days_since_last_order": history["recency_days"],
                     "bgnbd_p_no_order": bgnbd_no_purchase(history, horizon)}
        for scorer, score in baselines.items():
            rows[scorer] += [(c, date) for c in top_k_flags(score.loc[scored], len(flagged))]
    return {scorer: pd.DataFrame(pairs, columns=["customer_id", "snapshot_date"]) for scorer, pairs in rows.items()}


def evaluate_run(name: str, horizon: int, scratch: Path) -> tuple[dict, dict]:
    """One (generator, N): the run's JSON record and, for the ROC figure, labels and scores."""
    orders_file, truth = prepare(name, scratch)
    orders = pq.read_table(orders_file)
    usable = usable_orders(orders.to_pandas())
    end = usable["ordered_at"].max().normalize() + DAY
    # the first day of a month: the latest monthly snapshot then ends exactly at C, so the mart's score and
    # the baselines computed at C see the same orders
    cut = (end - horizon * DAY).to_period("M").to_timestamp()
    run = scratch / f"{name}_{horizon}"
    run.mkdir(parents=True, exist_ok=True)
    pq.write_table(calibration_orders(orders, cut), run / "customer_orders_calibration.parquet")
    seconds = build_marts(run, scratch / "demo", run / "customer_orders_calibration.parquet", cut, horizon)
    mart = read_mart(run / "lapse.duckdb")
    latest = mart["snapshot_date"].max()
    at_latest = mart[mart["snapshot_date"] == latest].set_index("customer_id")
    labels = outcome_labels(usable, cut, horizon)
    population = labels.index.intersection(at_latest.index).sort_values()
    history = customer_history(usable, cut)
    scores = {"lapse_score": at_latest["lapse_score"].astype(float),
              "days_since_last_order": history["recency_days"],
              "bgnbd_p_no_order": bgnbd_no_purchase(history, horizon)}
    label = labels.loc[population]
    flags = snapshot_flags(mart, usable[usable["ordered_at"] < cut], horizon)
    last_order = usable.groupby("customer_id")["ordered_at"].max()
    metrics = {s: {**ranking_metrics(label, scores[s].loc[population]),
                   "lead": lead_times(flags[s], last_order, truth, latest, cut + horizon * DAY)}
               for s in SCORERS}
    record = {
        "generator": name, "horizon_days": horizon, "calibration_date": cut.date().isoformat(),
        "latest_snapshot_date": latest.date().isoformat(), "snapshot_gap_days": int((cut - latest - DAY) / DAY),
        "snapshots": int(mart["snapshot_date"].nunique()), "customers_scored": int(len(population)),
        "customers_not_scored": int(len(labels) - len(population)), "no_order_share": float(label.mean()),
        "dbt_build_seconds": seconds, "scorers": metrics,
        "recipe": recipe_scores(set(at_latest.index[at_latest["is_lapsing"].eq(True)]), truth, latest),
    }
    return record, {"label": label, "scores": {s: scores[s].loc[population] for s in SCORERS}}


def machine() -> dict[str, object]:
    """Where the figures were taken."""
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), None) if Path("/proc/meminfo").exists() else None
    return {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "memory_gib": round(int(memory) / 2**20, 1) if memory else None}


def _lapser_timeline(scratch: Path, path: Path) -> Path | None:
    """The figure of the first planted demo lapser flagged at the latest snapshot of the longest history."""
    run = scratch / f"demo_{min(HORIZONS)}"
    if not (run / "lapse.duckdb").exists():
        return None
    _, truth = prepare("demo", scratch)
    mart = read_mart(run / "lapse.duckdb")
    latest = mart[mart["snapshot_date"] == mart["snapshot_date"].max()]
    planted = truth[truth["is_lapser"]]
    candidates = sorted(set(latest.loc[latest["is_lapsing"].eq(True), "customer_id"]) & set(planted["customer_id"]))
    if not candidates:
        return None
    customer = candidates[0]
    with duckdb.connect(str(run / "lapse.duckdb"), read_only=True) as con:
        memberships = con.execute(
            "select snapshot_date, memberships from customer_membership_snapshots "
            "where customer_id = ? and axis = 'activity' order by snapshot_date", [customer]).df()
    start = pd.Timestamp(planted.set_index("customer_id").loc[customer, "lapse_start"])
    return plot_lapser_timeline(mart, memberships, customer, start, path)


def evaluate(workdir: str | Path = "bench_results", generators=GENERATORS, horizons=HORIZONS) -> dict:
    """Run every (generator, N), print the table, write the JSON and the ROC figure; returns the report."""
    require_mart(Path.cwd())
    workdir = Path(workdir).resolve()
    scratch = workdir / "lapse"
    runs, curves = [], {}
    prepare("demo", scratch)                     # the other sources of every build
    for name in generators:
        for horizon in horizons:
            print(f"{name}, N = {horizon}: building {MART} on the calibration orders ...", flush=True)
            record, curves[(name, horizon)] = evaluate_run(name, horizon, scratch)
            runs.append(record)
            print(f"  C = {record['calibration_date']}, latest snapshot {record['latest_snapshot_date']} "
                  f"({record['snapshot_gap_days']} days before C), {record['customers_scored']} customers, "
                  f"dbt {record['dbt_build_seconds']:.0f} s", flush=True)
    report = {"machine": machine(), "data": {"demo": f"cluster-marts demo --scale small --seed {SEED}",
                                             "lapse_generator": f"{GENERATOR_CUSTOMERS} customers, seed "
                                                                f"{GENERATOR_SEED}"},
              "table": table_rows(runs), "runs": runs}
    print(format_table(runs))
    (workdir / "lapse_eval.json").write_text(json.dumps(report, indent=2) + "\n")
    plot_roc(curves, workdir / "lapse_roc.png")
    plot_scores_by_label(curves, workdir / "lapse_scores.png")
    timeline = _lapser_timeline(scratch, workdir / "lapse_timeline.png")
    print(f"wrote {workdir / 'lapse_eval.json'}, lapse_roc.png, lapse_scores.png" + (", lapse_timeline.png"
                                                                                     if timeline else ""))
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line; returns the exit code (2: no customer_lapse_risk; 1: a build failed)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lapse_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default="bench_results")
    parser.add_argument("--generators", nargs="+", choices=GENERATORS, default=list(GENERATORS))
    parser.add_argument("--horizons", nargs="+", type=int, default=list(HORIZONS))
    args = parser.parse_args(argv)
    try:
        evaluate(args.workdir, args.generators, args.horizons)
    except MissingMart as err:
        print(f"evaluate-lapse: {err}", file=sys.stderr)
        return 2
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
