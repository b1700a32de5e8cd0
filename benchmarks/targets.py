"""The issue's targets, checked against the measurements of a bench run (never hard-coded results).

:data:`TARGETS` lists each target with the measurement it reads, the comparison,
the threshold (a number, or the name of another measurement) and the scales it is
set at. :func:`measurements` turns a bench report (the JSON of
:mod:`benchmarks.harness`) into named numbers; :func:`evaluate` compares them;
:func:`format_targets` prints the table target / scale / measured / met.

"met" is ``yes`` / ``no`` at a scale the target is set at, ``(yes)`` / ``(no)``
when the bench ran at another scale (measured here, for information), and
``not measured`` when the run has no such number (e.g. the 100k -> 1m growth
before both scales ran, or targets the bench does not measure).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

EVERY_SCALE: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """One target: ``measurements[key] <op> threshold`` at ``scales`` (empty: every scale)."""

    name: str
    key: str
    op: str  # "<=" or ">="
    threshold: float | str  # a number, or the key of another measurement
    unit: str = ""
    scales: tuple[str, ...] = EVERY_SCALE


TARGETS: list[Target] = [
    Target("customer domain build time", "customers_seconds", "<=", 600, "s", ("1m",)),
    Target("customer domain peak RSS", "customers_peak_mib", "<=", 8192, "MiB", ("1m",)),
    Target("customer domain build time", "customers_seconds", "<=", 60, "s", ("100k",)),
    Target("customer time growth 100k -> 1m", "customers_growth", "<=", 12, "x", ("1m",)),
    Target("race: speed-up over the k-means sweep", "race_speedup", ">=", 5, "x", ("1m",)),
    Target("race: |reported - exact silhouette (20k)|", "race_silhouette_gap", "<=", 0.01, "", ("1m",)),
    Target("race: engine ARI >= baseline ARI", "race_engine_ari", ">=", "race_baseline_ari", "", ("1m",)),
    Target("personas ARI, engagement / fcm paths", "customers_ari", ">=", 0.85),
    Target("personas ARI, engagement / gmm paths", "customers_ari_gmm", ">=", 0.85),
    Target("demand domain at 100 000 DFUs", "demand_seconds", "<=", 180, "s", ("100k", "1m")),
    Target("provider domain at 10 000 creators", "provider_seconds", "<=", 60, "s", ("100k", "1m")),
    Target("workbench k-means spec at 1M rows", "workbench_seconds", "<=", 120, "s", ("1m",)),
    Target("make test", "make_test_seconds", "<=", 900, "s"),
    Target("small demo build", "small_build_seconds", "<=", 120, "s", ("small",)),
]
_OPS = {"<=": operator.le, ">=": operator.ge}


def measurements(report: dict[str, Any], others: dict[str, dict[str, Any]] | None = None) -> dict[str, float]:
    """Named numbers of a bench ``report``; ``others`` maps scale -> report of earlier runs (for growth)."""
    domains = report.get("domains", {})
    out: dict[str, float] = {}
    for domain, prefix in (("customers", "customers"), ("demand", "demand"), ("provider", "provider")):
        if domain in domains:
            out[f"{prefix}_seconds"] = domains[domain]["dbt_seconds"]
            out[f"{prefix}_peak_mib"] = domains[domain]["dbt_peak_mib"]
    for key, value in report.get("quality", {}).items():
        out[key] = value
    for key in ("speedup", "silhouette_gap", "engine_ari", "baseline_ari"):
        if report.get("race", {}).get(key) is not None:
            out[f"race_{key}"] = report["race"][key]
    runs = {**(others or {}), report.get("scale", ""): report}
    seconds = {scale: run.get("domains", {}).get("customers", {}).get("dbt_seconds") for scale, run in runs.items()}
    if seconds.get("100k") and seconds.get("1m"):
        out["customers_growth"] = round(seconds["1m"] / seconds["100k"], 3)
    return {key: value for key, value in out.items() if value is not None}


def evaluate(measured: dict[str, float], scale: str, targets: list[Target] = TARGETS) -> list[dict[str, Any]]:
    """One row per target: name, scales, measured value, threshold and ``met`` (see the module docstring)."""
    rows = []
    for t in targets:
        value = measured.get(t.key)
        limit = measured.get(t.threshold) if isinstance(t.threshold, str) else t.threshold
        if value is None or limit is None:
            met = "not measured"
        else:
            ok = "yes" if _OPS[t.op](value, limit) else "no"
            met = ok if not t.scales or scale in t.scales else f"({ok})"
        rows.append({"target": t.name, "scales": ", ".join(t.scales) or "every", "op": t.op,
                     "threshold": limit if limit is not None else t.threshold, "unit": t.unit,
                     "measured": value, "met": met})
    return rows


def _show(value: Any, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    text = f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"
    return f"{text} {unit}".strip()


def format_targets(rows: list[dict[str, Any]], scale: str) -> str:
    """Printable table target / at scale / goal / measured / met, and what ``(yes)`` means, for a run at ``scale``."""
    width = max(len(r["target"]) for r in rows)
    head = f"{'target':<{width}} {'at scale':>9} {'goal':>14} {'measured':>11} met"
    lines = [head, "-" * len(head)]
    for r in rows:
        goal = f"{r['op']} {_show(r['threshold'], r['unit'])}"
        lines.append(f"{r['target']:<{width}} {r['scales']:>9} {goal:>14} {_show(r['measured'], r['unit']):>11} "
                     f"{r['met']}")
    lines.append(f"(yes) / (no): measured at scale {scale}, the target is set at the scale(s) shown")
    return "\n".join(lines)
