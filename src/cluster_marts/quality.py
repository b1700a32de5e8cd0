"""Great Expectations checkpoint on the provider marts (``cluster-marts check``).

GX owns distributions, plausible ranges and cross-table counts on the built
marts. Keys, types, not-null, enums, hard ranges (silhouette in [-1, 1],
distances and inertia >= 0, p-values in [0, 1]) and "exactly one chosen k" are
dbt tests and contracts; they are not repeated here (STYLE.md section 5.5). The
thresholds are ``$PARAMETER`` expectation parameters read from
``tests/great_expectations/thresholds.yml``; a few parameters are computed
from the data at run time (the chosen k, the number of providers and regions),
which turns them into cross-table consistency checks.

The GX context is ephemeral and rebuilt on every run: one pandas data source,
and per mart one dataframe asset, one whole-dataframe batch definition, one
suite, one validation definition and one checkpoint. In GX 1.24.1
``Checkpoint.run(batch_parameters=...)`` hands the *same* dataframe to every
validation definition it holds, so each mart gets its own checkpoint, run with
its own ``batch_parameters={"dataframe": df}``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cluster_marts.warehouse import MartError, read_marts

TABLES = ("provider_clusters", "provider_k_selection", "provider_cluster_summary", "regional_comparison")
THRESHOLDS_ENV = "CLUSTER_MARTS_GX_THRESHOLDS"
THRESHOLDS_REL = Path("tests") / "great_expectations" / "thresholds.yml"


def _p(name: str) -> dict[str, str]:
    """An expectation parameter reference, resolved at run time."""
    return {"$PARAMETER": name}


def build_expectations() -> dict[str, list[Any]]:
    """Return ``{table: [expectation, ...]}``; thresholds are ``$PARAMETER`` references."""
    import great_expectations.expectations as gxe

    between = gxe.ExpectColumnValuesToBeBetween
    n_unique = gxe.ExpectColumnUniqueValueCountToBeBetween
    return {
        "provider_clusters": [
            gxe.ExpectTableRowCountToBeBetween(min_value=_p("min_providers"), max_value=_p("max_providers")),
            gxe.ExpectColumnMeanToBeBetween(column="silhouette", min_value=_p("min_mean_silhouette")),
            between(column="avg_intelligence", min_value=_p("min_intelligence"), max_value=_p("max_intelligence")),
            between(column="avg_price", min_value=_p("min_price"), max_value=_p("max_price")),
            between(column="avg_speed", min_value=_p("min_speed"), max_value=_p("max_speed")),
            between(column="k", min_value=_p("chosen_k"), max_value=_p("chosen_k")),
            between(column="cluster_id", min_value=0, max_value=_p("max_cluster_id")),
            n_unique(column="cluster_id", min_value=_p("chosen_k"), max_value=_p("chosen_k")),
            n_unique(column="run_id", min_value=1, max_value=1),
        ],
        "provider_k_selection": [
            between(column="k", min_value=_p("min_k"), max_value=_p("max_k")),
            gxe.ExpectColumnSumToBeBetween(column="is_knee", min_value=0, max_value=1),
            between(column="calinski_harabasz", min_value=0),
            between(column="davies_bouldin", min_value=0),
            n_unique(column="run_id", min_value=1, max_value=1),
        ],
        "provider_cluster_summary": [
            gxe.ExpectTableRowCountToBeBetween(min_value=_p("chosen_k"), max_value=_p("chosen_k")),
            gxe.ExpectColumnMinToBeBetween(column="provider_share", min_value=_p("min_cluster_share")),
            gxe.ExpectColumnSumToBeBetween(column="provider_share", min_value=0.999, max_value=1.001),
            gxe.ExpectColumnSumToBeBetween(column="provider_count", min_value=_p("n_providers"),
                                           max_value=_p("n_providers")),
            between(column="mean_silhouette", min_value=-1, max_value=1),
        ],
        "regional_comparison": [
            gxe.ExpectTableRowCountToEqual(value=_p("expected_regional_rows")),
            n_unique(column="region", min_value=_p("n_regions"), max_value=_p("n_regions")),
            between(column="n_regions", min_value=_p("min_regions"), max_value=_p("max_regions")),
            between(column="epsilon_squared", min_value=0, max_value=1),
            between(column="kruskal_h", min_value=0),
            between(column="std_value", min_value=0),
            between(column="model_count", min_value=1),
        ],
    }


def find_thresholds(path: str | Path | None = None) -> Path | None:
    """Locate thresholds.yml: argument, ``$CLUSTER_MARTS_GX_THRESHOLDS``, cwd, then the repo."""
    candidates = [path, os.environ.get(THRESHOLDS_ENV), Path.cwd() / THRESHOLDS_REL,
                  Path(__file__).resolve().parents[2] / THRESHOLDS_REL]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def load_marts(db_path: str | Path, tables: tuple[str, ...] = TABLES) -> dict[str, pd.DataFrame]:
    """Read the marts from DuckDB (read-only). Raises ``MartError`` naming what is missing."""
    return read_marts(db_path, {table: () for table in tables})


def runtime_parameters(frames: dict[str, pd.DataFrame], thresholds: dict[str, Any]) -> dict[str, Any]:
    """Thresholds plus parameters derived from the data (chosen k, counts)."""
    ks = frames["provider_k_selection"]
    chosen = ks.loc[ks["is_chosen"].fillna(False).astype(bool), "k"]
    chosen_k = int(chosen.iloc[0]) if len(chosen) == 1 else -1  # -1 fails the k checks on purpose
    regional = frames["regional_comparison"]
    n_regions = int(regional["n_regions"].max())
    return {**thresholds, "chosen_k": chosen_k, "max_cluster_id": chosen_k - 1,
            "n_providers": len(frames["provider_clusters"]), "n_regions": n_regions,
            "expected_regional_rows": len(thresholds["metrics"]) * n_regions}


def _detail(result: Any) -> str:
    """One-phrase reason for a failed expectation result."""
    info = result.exception_info or {}
    infos = [info] if "raised_exception" in info else list(info.values())
    for item in infos:
        if isinstance(item, dict) and item.get("raised_exception"):
            return f"error: {item.get('exception_message')}"
    res = result.result or {}
    if "unexpected_count" in res:
        return (f"{res['unexpected_count']} of {res.get('element_count')} values unexpected, "
                f"e.g. {list(res.get('partial_unexpected_list') or [])[:5]}")
    return f"observed {res.get('observed_value')!r}"


def _report(table: str, validation: Any) -> int:
    """Print one line per failed expectation and a summary line; return the failure count."""
    failed = 0
    for result in validation.results:
        if result.success:
            continue
        failed += 1
        cfg = result.expectation_config
        args = {k: v for k, v in cfg.kwargs.items() if k not in ("batch_id", "column")}
        column = cfg.kwargs.get("column", "<table>")
        print(f"FAIL {table}.{column}: {cfg.type} {args} -> {_detail(result)}")
    total = len(validation.results)
    print(f"{'ok  ' if not failed else 'FAIL'} suite {table}: {total - failed}/{total} expectations passed")
    return failed


def run_checks(db_path: str | Path, thresholds_path: str | Path | None = None) -> int:
    """Run the GX checkpoint on the provider marts; 0 when every expectation passes, else 1."""
    found = find_thresholds(thresholds_path)
    if found is None:
        print(f"GX thresholds file not found (looked for {THRESHOLDS_REL}; set ${THRESHOLDS_ENV})",
              file=sys.stderr)
        return 1
    thresholds = yaml.safe_load(found.read_text()) or {}
    try:
        frames = load_marts(db_path)
    except MartError as exc:
        print(f"GX check failed: {exc}", file=sys.stderr)
        return 1

    os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before the first GX import
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    suites = build_expectations()
    params = runtime_parameters(frames, thresholds)
    missing = sorted({p["$PARAMETER"] for exps in suites.values() for e in exps
                      for p in e.configuration.kwargs.values() if isinstance(p, dict) and "$PARAMETER" in p}
                     - set(params))
    if missing:
        print(f"GX thresholds {found} lack the parameters {missing}", file=sys.stderr)
        return 1

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas(name="warehouse")
    failed = 0
    for table, expectations in suites.items():
        batch = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("all_rows")
        suite = context.suites.add(gx.ExpectationSuite(name=f"{table}_suite"))
        for expectation in expectations:
            suite.add_expectation(expectation)
        vd = context.validation_definitions.add(gx.ValidationDefinition(name=f"{table}_vd", data=batch, suite=suite))
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=f"{table}_checkpoint", validation_definitions=[vd], actions=[], result_format="SUMMARY"))
        result = checkpoint.run(batch_parameters={"dataframe": frames[table]}, expectation_parameters=params)
        for validation in result.run_results.values():
            failed += _report(table, validation)
    print(f"GX checkpoint on {db_path}: {'passed' if not failed else f'{failed} expectation(s) failed'}")
    return 0 if not failed else 1
