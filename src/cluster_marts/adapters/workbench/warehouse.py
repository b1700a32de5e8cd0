"""One spec's analysis as one long warehouse table: what each per-spec workbench model returns.

Every spec has its own dbt Python model, ``int_workbench_fit_<spec>``
(:mod:`~cluster_marts.adapters.workbench.dbt_models` writes it): its literal
``dbt.ref(...)`` / ``dbt.source(...)`` is the spec's parent in dbt's lineage,
and it calls :func:`workbench_fit` with the relation read.  The spec itself is
found by name in the folder of var ``workbench_specs_path`` (``config.meta``
``specs_path``).  :func:`spec_long_table` runs it once through
:func:`~cluster_marts.adapters.workbench.analysis.run_spec` and stacks every
table (:func:`~cluster_marts.adapters.long_table.stack_records`):
``record_type`` is the table's name
(:data:`~cluster_marts.adapters.workbench.analysis.TABLES`), then
``spec_name``, the tables' columns and ``run_id`` (:func:`spec_run_id`), then
the fit's ``cluster_memory`` and ``lineage`` records as JSON in ``record``
(:data:`~cluster_marts.adapters.workbench.analysis.KEPT`) and ``fit_key`` (the
spec's name on every row).  The SQL model ``int_workbench_analysis`` stacks
the specs' tables (var ``workbench_specs``); ``int_workbench_<table>`` select
their rows and columns; ``cluster_lineage`` reads the lineage records.

The model is incremental (``delete+insert`` on ``fit_key``, like the
providers' clustering model): it reads its own previous ``cluster_memory``
and ``lineage`` records (:func:`~cluster_marts.adapters.memory.read_previous`)
and passes them to :func:`workbench_fit`, so a cluster keeps its id from one
build to the next; ``--full-refresh`` numbers the clusters afresh.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.long_table import RECORD, json_records, stack_records
from cluster_marts.adapters.memory import FIT_KEY
from cluster_marts.adapters.workbench.analysis import KEPT, RUN_ID_IGNORES, TABLES, run_spec, spec_run_id
from cluster_marts.adapters.workbench.datasets import read_source
from cluster_marts.config.spec import Spec, load_spec
from cluster_marts.errors import InputDataError, SettingsError

__all__ = ["workbench_fit", "spec_long_table", "find_spec", "spec_files", "spec_run_id", "RUN_ID_IGNORES"]

_ALLOWED_META = {"specs_path", "root", "description", "owner"}


def spec_files(specs_dir: str | Path) -> list[Path]:
    """The ``*.yml`` / ``*.yaml`` specs of a folder, sorted; an empty folder is an error."""
    folder = Path(specs_dir)
    files = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])
    if not files:
        raise InputDataError(f"no workbench spec (*.yml) in {folder.resolve()}; add one or fix workbench_specs_path")
    return files


def find_spec(specs_dir: str | Path, name: str, *, model: str) -> Spec:
    """The spec named ``name`` among the specs of ``specs_dir`` (exactly one must carry that name)."""
    found = [spec for spec in map(load_spec, spec_files(specs_dir)) if spec.name == name]
    if len(found) != 1:
        what = "no spec" if not found else f"{len(found)} specs ({', '.join(s.file for s in found)})"
        raise InputDataError(f"model {model}: {what} named {name!r} in {Path(specs_dir).resolve()}; spec names "
                             "must be unique (var workbench_specs_path)")
    return found[0]


def _with_spec(table: pd.DataFrame, name: str, rid: str) -> pd.DataFrame:
    n = len(table)
    out = table.reset_index(drop=True)
    out.insert(0, "spec_name", pd.Series([name] * n, dtype="str"))
    out["run_id"] = pd.Series([rid] * n, dtype="str")
    return out


def spec_long_table(spec: Spec, frame: pd.DataFrame, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every table of one spec's analysis of ``frame``, as one long table.

    ``previous``: the previous build's ``cluster_memory`` and ``lineage``
    records (:func:`~cluster_marts.adapters.memory.read_previous`), whose ids
    the fit keeps.

    Returns
    -------
    DataFrame
        ``record_type`` (a name of ``TABLES``, in that order, then ``KEPT``),
        ``spec_name``, the union of the tables' columns (nullable dtypes, null
        where a column is not the row's table's), ``run_id``, ``record`` (the
        ``KEPT`` records as JSON, null on the other rows) and ``fit_key`` (the
        spec's name). Every spec gives the same columns in the same order, so
        the specs' tables stack in SQL.

    Raises
    ------
    InputDataError
        The rows do not fit the spec (see ``run_spec``).
    """
    tables = run_spec(spec, frame, previous)
    rid = spec_run_id(spec, frame)
    kept = {kind: json_records(tables[kind]) for kind in KEPT}
    long = stack_records({table: _with_spec(tables[table], spec.name, rid) for table in TABLES}
                         | {kind: _with_spec(packed, spec.name, rid) for kind, packed in kept.items()})
    last = ["run_id", RECORD]
    return long[[c for c in long.columns if c not in last] + last].assign(**{FIT_KEY: spec.name})


def workbench_fit(relation: Any, meta: Mapping[str, Any] | None, *, spec: str, reads: str,
                  model: str, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the model ``int_workbench_fit_<spec>`` returns: the spec's long table (:func:`spec_long_table`).

    Parameters
    ----------
    relation : relation, DataFrame or None
        The rows the model read through its literal ``dbt.ref`` / ``dbt.source``; None for a spec that reads
        a file (``source.path``, relative to ``root``).
    meta : mapping or None
        The model's ``config.meta``: ``specs_path`` (var ``workbench_specs_path``, default ``specs``) and
        ``root`` (folder the specs path and file sources are relative to, default ``.``).
    spec : str
        The spec's ``name``.
    reads : str
        What the model reads, in the words of :meth:`~cluster_marts.config.spec.Source.describe`
        (``ref customer_features``): it must be what the spec says, so the lineage dbt shows is the spec's.
    model : str
        dbt model name, used in error messages.
    previous : DataFrame or None, default=None
        The model's previous ``cluster_memory`` and ``lineage`` records
        (:func:`~cluster_marts.adapters.memory.read_previous`).

    Raises
    ------
    SettingsError
        Unknown ``config.meta`` keys, or the model reads another parent than the spec names.
    InputDataError
        No spec (or two) with that name, or the rows do not fit the spec.
    """
    meta = dict(meta or {})
    unknown = sorted(set(meta) - _ALLOWED_META)
    if unknown:
        raise SettingsError(f"model {model}: unknown setting(s) {unknown}; allowed: {sorted(_ALLOWED_META)}")
    root = Path(str(meta.get("root") or "."))
    found = find_spec(root / str(meta.get("specs_path") or "specs"), spec, model=model)
    if found.source.describe() != reads:
        raise SettingsError(f"model {model} reads {reads} but spec {found.file} says {found.source.describe()}: "
                            "rewrite the model (python -m cluster_marts.adapters.workbench.dbt_models)")
    frame = read_source(found, root) if relation is None else to_frame(relation)
    return spec_long_table(found, frame, previous)
