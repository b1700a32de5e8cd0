"""Great Expectations checkpoint on the built marts (``cluster-marts check``).

GX owns distributions, plausible ranges and cross-table counts on the built
marts. Keys, types, not-null, enums, hard ranges (silhouette in [-1, 1],
distances and inertia >= 0, p-values in [0, 1]) and "exactly one chosen k" are
dbt tests and contracts; they are not repeated here (STYLE.md section 5.5). The
thresholds are ``$PARAMETER`` expectation parameters read from
``tests/great_expectations/thresholds.yml``; a few parameters are computed
from the data at run time (the chosen k, counts), which turns them into
cross-table consistency checks.

One module per domain in this package holds its suites: ``TABLES``,
``build_expectations()`` (``{table: [expectation, ...]}``) and
``runtime_parameters(frames, thresholds)``. :data:`REQUIRED_DOMAINS` lists the
suites; by default those of the domains the warehouse's last build had on run
(:data:`SUITES_OF`, :func:`~cluster_marts.warehouse.built_domains`), and a
missing mart of one of them fails the check.

The GX context is ephemeral and rebuilt on every run: one pandas data source,
and per mart one dataframe asset, one whole-dataframe batch definition, one
suite, one validation definition and one checkpoint. In GX 1.24.1
``Checkpoint.run(batch_parameters=...)`` hands the *same* dataframe to every
validation definition it holds, so each mart gets its own checkpoint, run with
its own ``batch_parameters={"dataframe": df}``.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import yaml

from cluster_marts.warehouse import MartError, built_domains_of, read_marts

#: Domains whose suites run, each a module of this package; their marts are required.
REQUIRED_DOMAINS: tuple[str, ...] = ("providers", "demand", "customers", "drift")
#: domain of var ``cluster_marts_domains`` -> its suite modules (the workbench has none)
SUITES_OF: dict[str, tuple[str, ...]] = {"providers": ("providers",), "demand": ("demand",),
                                         "customers": ("customers", "drift"), "workbench": ()}
THRESHOLDS_ENV = "CLUSTER_MARTS_GX_THRESHOLDS"
THRESHOLDS_REL = Path("tests") / "great_expectations" / "thresholds.yml"


def load_domain(name: str) -> ModuleType:
    """The suite module of domain ``name``."""
    return importlib.import_module(f"{__name__}.{name}")


def find_thresholds(path: str | Path | None = None) -> Path | None:
    """Locate thresholds.yml: argument, ``$CLUSTER_MARTS_GX_THRESHOLDS``, cwd, then the repo."""
    candidates = [path, os.environ.get(THRESHOLDS_ENV), Path.cwd() / THRESHOLDS_REL,
                  Path(__file__).resolve().parents[3] / THRESHOLDS_REL]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def load_marts(db_path: str | Path, tables: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Read the marts from DuckDB (read-only). Raises ``MartError`` naming what is missing."""
    return read_marts(db_path, {table: () for table in tables})


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


def _referenced(suites: dict[str, list[Any]]) -> set[str]:
    """Names of the ``$PARAMETER`` references of ``suites``."""
    return {value["$PARAMETER"] for exps in suites.values() for e in exps
            for value in e.configuration.kwargs.values()
            if isinstance(value, dict) and "$PARAMETER" in value}


def run_checks(db_path: str | Path, thresholds_path: str | Path | None = None,
               domains: tuple[str, ...] | None = None) -> int:
    """Run the GX checkpoint on the marts of ``domains``; 0 when every expectation passes, else 1.

    Parameters
    ----------
    db_path : str or path
        DuckDB warehouse, opened read-only.
    thresholds_path : str or path, optional
        thresholds.yml; default: see :func:`find_thresholds`.
    domains : tuple of str, optional
        Suite modules to run (default: those of the domains the warehouse's last
        build had on, :data:`SUITES_OF`); every mart they check must exist and
        hold rows.
    """
    found = find_thresholds(thresholds_path)
    if found is None:
        print(f"GX thresholds file not found (looked for {THRESHOLDS_REL}; set ${THRESHOLDS_ENV})",
              file=sys.stderr)
        return 1
    thresholds = yaml.safe_load(found.read_text()) or {}
    if domains is None:
        try:
            built = built_domains_of(db_path)
        except MartError as exc:
            print(f"GX check failed: {exc}", file=sys.stderr)
            return 1
        domains = tuple(suite for domain in built for suite in SUITES_OF[domain])
        left_out = [domain for domain in SUITES_OF if domain not in built and SUITES_OF[domain]]
        if left_out:
            print(f"GX suites of {', '.join(left_out)} not run: the last build left them out "
                  "(var cluster_marts_domains)")
    modules = [load_domain(name) for name in domains]
    try:
        frames = load_marts(db_path, tuple(t for module in modules for t in module.TABLES))
    except MartError as exc:
        print(f"GX check failed: {exc}", file=sys.stderr)
        return 1

    os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before the first GX import
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    plans = []
    for module in modules:
        suites = module.build_expectations()
        try:
            params = module.runtime_parameters(frames, thresholds)
        except KeyError as exc:
            print(f"GX thresholds {found} lack the parameter {exc}", file=sys.stderr)
            return 1
        missing = sorted(_referenced(suites) - set(params))
        if missing:
            print(f"GX thresholds {found} lack the parameters {missing}", file=sys.stderr)
            return 1
        plans.append((suites, params))

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas(name="warehouse")
    failed = 0
    for suites, params in plans:
        for table, expectations in suites.items():
            batch = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("all_rows")
            suite = context.suites.add(gx.ExpectationSuite(name=f"{table}_suite"))
            for expectation in expectations:
                suite.add_expectation(expectation)
            vd = context.validation_definitions.add(
                gx.ValidationDefinition(name=f"{table}_vd", data=batch, suite=suite))
            checkpoint = context.checkpoints.add(gx.Checkpoint(
                name=f"{table}_checkpoint", validation_definitions=[vd], actions=[], result_format="SUMMARY"))
            result = checkpoint.run(batch_parameters={"dataframe": frames[table]},
                                    expectation_parameters=params)
            for validation in result.run_results.values():
                failed += _report(table, validation)
    print(f"GX checkpoint on {db_path}: {'passed' if not failed else f'{failed} expectation(s) failed'}")
    return 0 if not failed else 1
