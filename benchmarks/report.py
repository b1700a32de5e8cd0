"""Summary and printable tables of ``make bench`` (see :mod:`benchmarks.harness`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StageResult:
    """Wall seconds and peak resident memory (MiB) of one measured process."""

    stage: str
    seconds: float
    peak_mib: float
    domain: str = ""


def name_width(names: list[str], minimum: int = 16) -> int:
    """Column width holding every name in ``names`` (at least ``minimum``)."""
    return max([minimum, *map(len, names)])


def domain_row(dbt: list[StageResult], base: list[tuple[StageResult, dict]]) -> dict[str, Any]:
    """dbt vs baseline totals of some dbt stages and baselines (none for the shared stages)."""
    dbt_s = round(sum(s.seconds for s in dbt), 3)
    row: dict[str, Any] = {
        "dbt_seconds": dbt_s, "dbt_peak_mib": max((s.peak_mib for s in dbt), default=0.0),
        "baseline_seconds": None, "baseline_peak_mib": None,
        "baseline_in_process_seconds": None, "ratio_dbt_to_baseline": None}
    if base:
        base_s = round(sum(r.seconds for r, _ in base), 3)
        row.update(baseline_seconds=base_s, baseline_peak_mib=max(r.peak_mib for r, _ in base),
                   baseline_in_process_seconds=round(sum(i["total_seconds"] for _, i in base), 4),
                   ratio_dbt_to_baseline=round(dbt_s / base_s, 3))
    return row


def summarise(stages: list[StageResult],
              baselines: dict[str, tuple[StageResult, dict]]) -> dict[str, dict[str, Any]]:
    """:func:`domain_row` per domain of ``stages``, in order, then ``total`` over everything.

    Shared stages (the seeds) have no baseline and count in the total only;
    each domain's ratio compares its own dbt stages with its own baseline.
    """
    summary = {d: domain_row([s for s in stages if s.domain == d],
                             [baselines[d]] if d in baselines else [])
               for d in dict.fromkeys(s.domain for s in stages)}
    summary["total"] = domain_row(stages, list(baselines.values()))
    return summary


def format_table(stages: list[StageResult], summary: dict[str, dict[str, Any]]) -> str:
    """Printable tables: the dbt stages, then dbt vs baseline per domain and in total."""
    def num(value: float | None, spec: str) -> str:  # "-" where there is no baseline
        return "-" if value is None else format(value, spec)

    dw = name_width([*summary, *(s.domain for s in stages)], minimum=8)
    sw = name_width([s.stage for s in stages], minimum=5)
    head = f"{'domain':<{dw}} {'stage':<{sw}} {'seconds':>9} {'peak MiB':>9}"
    lines = [head, "-" * len(head)]
    lines += [f"{s.domain:<{dw}} {s.stage:<{sw}} {s.seconds:9.2f} {s.peak_mib:9.1f}"
              for s in stages]
    cols = ("dbt s", "dbt MiB", "base s", "base MiB", "in-proc s", "dbt/base")
    head = f"{'domain':<{dw}} " + " ".join(f"{c:>9}" for c in cols)
    lines += ["", head, "-" * len(head)]
    for domain, r in summary.items():
        cells = (num(r["dbt_seconds"], ".2f"), num(r["dbt_peak_mib"], ".1f"),
                 num(r["baseline_seconds"], ".2f"), num(r["baseline_peak_mib"], ".1f"),
                 num(r["baseline_in_process_seconds"], ".2f"),
                 num(r["ratio_dbt_to_baseline"], ".1f") + "x" * (r["baseline_seconds"] is not None))
        lines.append(f"{domain:<{dw}} " + " ".join(f"{c:>9}" for c in cells))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_quality(quality: dict[str, Any], baselines: dict[str, dict]) -> str:
    """Quality against the planted truth: the marts (``quality``) and each baseline's own ``ari``."""
    rows = [("customers", "ARI personas, engagement/fcm paths", quality.get("customers_ari"),
             baselines.get("customers", {}).get("ari")),
            ("customers", "ARI personas, engagement/gmm paths", quality.get("customers_ari_gmm"), None),
            ("demand", "label accuracy vs archetypes", quality.get("demand_label_accuracy"), None),
            ("demand", "ARI archetypes", quality.get("demand_ari"), baselines.get("demand", {}).get("ari")),
            ("provider", "ARI tiers", quality.get("provider_ari"), baselines.get("provider", {}).get("ari"))]
    head = f"{'domain':<9} {'against the planted truth':<34} {'dbt':>7} {'baseline':>8}"
    lines = ["", head, "-" * len(head)]
    lines += [f"{d:<9} {what:<34} {_cell(dbt):>7} {_cell(base):>8}" for d, what, dbt, base in rows]
    return "\n".join(lines)


def format_race(race: dict[str, Any]) -> str:
    """The single-axis race (:mod:`benchmarks.race`): times, ratio, chosen k, silhouettes, ARI."""
    lo, hi = race["k_range"]
    lines = ["", f"race: axis {race['axis']}, method {race['method']}, k={lo}..{hi}, {race['n_rows']} rows",
             f"  engine {race['engine_seconds']:.2f} s   k-means sweep {race['baseline_seconds']:.2f} s   "
             f"baseline/engine {race['speedup']:.2f}x",
             f"  chosen k: engine {race['engine_k']}, k-means {race['baseline_k']}",
             f"  engine silhouette: reported {race['engine_silhouette_reported']:.4f}, exact on "
             f"{race['exact_sample']} rows {race['engine_silhouette_exact']:.4f} (gap {race['silhouette_gap']:.4f})",
             f"  ARI vs personas: engine segment paths {_cell(race['engine_ari'])} (top level "
             f"{_cell(race.get('engine_ari_top_level'))}), k-means {_cell(race['baseline_ari'])}"]
    return "\n".join(lines) + "\n"
