"""``python -m benchmarks.value_eval`` (``make evaluate-value``): customer value on a calibration / holdout split.

For each generator (the demo, ``cluster-marts demo --scale small``, and :mod:`benchmarks.lapse_generator`,
2 000 customers) and each of two seeds (:data:`SEEDS`):

1. the calibration cut ``C`` is the day after the last usable order minus :data:`HOLDOUT_DAYS` (39 weeks);
2. every customer with a usable order before ``C`` is summarised as the value models read them, orders
   counted one per customer-day (``x`` repeat purchase days, ``t_x``, ``T`` in days, ``m`` the mean spend
   of the repeat days), from the orders before ``C`` only;
3. three scorers predict purchase days and spend in ``[C, C + 39 weeks)``: ``mbgnbd_gg`` (this package,
   :func:`cluster_marts.value.customer_value`), ``bgnbd_gg_reference`` (BG/NBD + Gamma-Gamma fitted in the
   same run by :mod:`benchmarks.value_reference`) and ``naive_rate`` (the customer's past purchase days and
   spend per day since their first order, times the horizon);
4. the actuals are the holdout purchase days and spend (gross of returns, undiscounted) of those customers;
   metrics: aggregate error of orders and spend (predicted total / actual total - 1), Spearman's rank
   correlation of expected vs actual spend, top-decile capture (share of the actual spend made by the tenth
   of customers with the highest expected spend).

Prints one table, writes it with the run details to ``<workdir>/value_eval.json`` and the figure of mean
predicted vs actual spend by decile of predicted spend to ``<workdir>/value_deciles.png``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from benchmarks import lapse_generator
from benchmarks.value_reference import reference_value
from cluster_marts.value import customer_value

__all__ = ["GENERATORS", "HOLDOUT_DAYS", "SEEDS", "evaluate", "main"]

GENERATORS: tuple[str, ...] = ("demo", "lapse_generator")
SEEDS: dict[str, tuple[int, int]] = {"demo": (42, 7), "lapse_generator": (7, 11)}
HOLDOUT_DAYS = 273                       # 39 weeks
SCORERS: tuple[str, ...] = ("mbgnbd_gg", "bgnbd_gg_reference", "naive_rate")
DAY = pd.Timedelta(days=1)


def orders_of(name: str, seed: int, scratch: Path) -> pd.DataFrame:
    """The usable orders (customer_id, ordered_at, amount) of one generator and seed."""
    out = scratch / f"{name}_{seed}"
    if name == "demo":
        if not (out / "customer_orders.parquet").exists():
            subprocess.run([sys.executable, "-m", "cluster_marts.cli", "demo", "--scale", "small", "--out",
                            str(out), "--seed", str(seed)], check=True, capture_output=True)
    else:
        lapse_generator.write(out, 2_000, seed)
    orders = pd.read_parquet(out / "customer_orders.parquet")
    ok = (orders["order_id"].notna() & orders["customer_id"].notna() & orders["ordered_at"].notna()
          & np.isfinite(orders["amount"]) & (orders["amount"] >= 0) & (orders["item_count"] >= 1))
    kept = orders[ok].sort_values(["ordered_at", "order_id"]).drop_duplicates("order_id")
    return kept[["customer_id", "ordered_at", "amount"]].reset_index(drop=True)


def histories(orders: pd.DataFrame, cut: pd.Timestamp) -> pd.DataFrame:
    """Per customer ordering before ``cut``: x, t_x, T, m (repeat-day mean), total spend (one per customer-day)."""
    before = orders[orders["ordered_at"] < cut].assign(day=lambda o: o["ordered_at"].dt.normalize())
    days = before.groupby(["customer_id", "day"], as_index=False)["amount"].sum()
    grouped = days.groupby("customer_id")
    first, last = grouped["day"].min(), grouped["day"].max()
    x = grouped.size() - 1
    first_spend = days.sort_values("day").groupby("customer_id")["amount"].first()
    total = grouped["amount"].sum()
    return pd.DataFrame({"repeat_days": x, "days_first_to_last": (last - first) / DAY,
                         "days_since_first": (cut.normalize() - first) / DAY,
                         "repeat_day_value": ((total - first_spend) / x.where(x > 0)),
                         "total_spend": total}).sort_index()


def holdout(orders: pd.DataFrame, cut: pd.Timestamp, customers: pd.Index) -> pd.DataFrame:
    """Actual purchase days and spend in ``[cut, cut + HOLDOUT_DAYS)`` of ``customers`` (0 without an order)."""
    window = orders[(orders["ordered_at"] >= cut) & (orders["ordered_at"] < cut + HOLDOUT_DAYS * DAY)]
    days = window.assign(day=window["ordered_at"].dt.normalize()).groupby(["customer_id", "day"])["amount"].sum()
    by_customer = days.groupby("customer_id").agg(["size", "sum"])
    return (by_customer.rename(columns={"size": "orders", "sum": "spend"})
            .reindex(customers, fill_value=0).astype(float))


def predictions(history: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Predicted purchase days and spend over the holdout per scorer (module docstring, step 3)."""
    x = history["repeat_days"].to_numpy(float)
    t_x, T = history["days_first_to_last"].to_numpy(float), history["days_since_first"].to_numpy(float)
    m = history["repeat_day_value"].to_numpy(float)
    ours = customer_value(history.drop(columns="total_spend").reset_index(drop=True), (HOLDOUT_DAYS,))
    ref_orders, ref_spend = reference_value(x, t_x, T, m, HOLDOUT_DAYS)
    exposure = np.maximum(T, 1.0)
    frame = lambda orders, spend: pd.DataFrame({"orders": orders, "spend": spend}, index=history.index)  # noqa: E731
    return {"mbgnbd_gg": frame(ours["expected_orders"].to_numpy(), ours["expected_spend"].to_numpy()),
            "bgnbd_gg_reference": frame(ref_orders, ref_spend),
            "naive_rate": frame((x + 1) / exposure * HOLDOUT_DAYS,
                                history["total_spend"].to_numpy(float) / exposure * HOLDOUT_DAYS)}


def metrics(predicted: pd.DataFrame, actual: pd.DataFrame) -> dict[str, float]:
    """Aggregate errors, Spearman of spend, top-decile capture (module docstring, step 4)."""
    top = predicted["spend"].sort_values(ascending=False, kind="stable").index[:int(np.ceil(len(predicted) / 10))]
    return {"orders_error": float(predicted["orders"].sum() / actual["orders"].sum() - 1),
            "spend_error": float(predicted["spend"].sum() / actual["spend"].sum() - 1),
            "spearman_spend": float(spearmanr(predicted["spend"], actual["spend"]).statistic),
            "top_decile_capture": float(actual.loc[top, "spend"].sum() / actual["spend"].sum())}


def deciles(predicted: pd.DataFrame, actual: pd.DataFrame) -> pd.DataFrame:
    """Mean predicted and actual spend per decile of predicted spend (1 = lowest)."""
    rank = predicted["spend"].rank(method="first")
    decile = np.ceil(rank / len(rank) * 10).astype(int)
    return pd.DataFrame({"predicted": predicted["spend"], "actual": actual["spend"], "decile": decile}
                        ).groupby("decile").mean()


def plot_deciles(curves: dict, path: Path) -> Path:
    """One panel per (generator, seed): mean predicted (lines) vs actual (bars) spend by decile."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(curves), figsize=(4.2 * len(curves), 3.6), squeeze=False)
    for ax, ((name, seed), by_scorer) in zip(axes[0], curves.items()):
        actual = by_scorer["mbgnbd_gg"]["actual"]
        ax.bar(actual.index, actual.to_numpy(), color="#d9d9d9", label="actual (deciles of mbgnbd_gg)")
        for scorer, table in by_scorer.items():
            ax.plot(table.index, table["predicted"], marker="o", ms=3, label=f"{scorer} predicted")
        ax.set_title(f"{name}, seed {seed}")
        ax.set_xlabel("decile of predicted spend")
    axes[0][0].set_ylabel("mean spend in the 39-week holdout")
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def format_table(runs: list[dict]) -> str:
    """The table of docs/customer_value.md: one line per (generator, seed, scorer)."""
    lines = ["| generator | seed | scorer | orders error | spend error | Spearman (spend) | top-decile capture |",
             "|---|---|---|---|---|---|---|"]
    for run in runs:
        for scorer in SCORERS:
            s = run["scorers"][scorer]
            lines.append(f"| {run['generator']} | {run['seed']} | {scorer} | {s['orders_error']:+.1%} | "
                         f"{s['spend_error']:+.1%} | {s['spearman_spend']:.3f} | {s['top_decile_capture']:.1%} |")
    return "\n".join(lines)


def evaluate(workdir: str | Path = "bench_results", generators=GENERATORS) -> dict:
    """Every (generator, seed): print the table, write the JSON and the decile figure; returns the report."""
    workdir = Path(workdir).resolve()
    scratch = workdir / "value"
    runs, curves = [], {}
    for name in generators:
        for seed in SEEDS[name]:
            orders = orders_of(name, seed, scratch)
            cut = orders["ordered_at"].max().normalize() + DAY - HOLDOUT_DAYS * DAY
            history = histories(orders, cut)
            actual = holdout(orders, cut, history.index)
            predicted = predictions(history)
            runs.append({"generator": name, "seed": seed, "calibration_date": cut.date().isoformat(),
                         "holdout_days": HOLDOUT_DAYS, "customers": int(len(history)),
                         "one_order_share": float((history["repeat_days"] == 0).mean()),
                         "actual_orders": float(actual["orders"].sum()), "actual_spend": float(actual["spend"].sum()),
                         "scorers": {s: metrics(predicted[s], actual) for s in SCORERS}})
            curves[(name, seed)] = {s: deciles(predicted[s], actual) for s in SCORERS}
    table = format_table(runs)
    print(table)
    (workdir / "value_eval.json").write_text(json.dumps({"runs": runs, "table": table}, indent=2) + "\n")
    plot_deciles(curves, workdir / "value_deciles.png")
    print(f"wrote {workdir / 'value_eval.json'}, value_deciles.png")
    return {"runs": runs, "table": table}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.value_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default="bench_results")
    parser.add_argument("--generators", nargs="+", choices=GENERATORS, default=list(GENERATORS))
    args = parser.parse_args(argv)
    evaluate(args.workdir, args.generators)
    return 0


if __name__ == "__main__":
    sys.exit(main())
