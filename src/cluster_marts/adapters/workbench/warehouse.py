"""Every shipped spec as one long warehouse table: what ``int_workbench_analysis`` returns.

:func:`workbench_analysis` runs every spec of ``specs_dir`` (sorted by file
name) once through :func:`~cluster_marts.adapters.workbench.analysis.run_spec`
and stacks all its tables into one long table
(:func:`~cluster_marts.adapters.long_table.stack_records`): ``record_type`` is
the table's name (:data:`~cluster_marts.adapters.workbench.analysis.TABLES`),
then ``spec_name``, the tables' columns and ``run_id``
(:func:`spec_run_id`).  The SQL models ``int_workbench_<table>`` select their
rows and columns.  A table added to ``TABLES`` (and returned by ``run_spec``)
enters the long table with no change here.  Nothing is kept between calls:
every call runs every spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cluster_marts.adapters.long_table import stack_records
from cluster_marts.adapters.workbench.analysis import RUN_ID_IGNORES, TABLES, run_spec, spec_run_id
from cluster_marts.adapters.workbench.datasets import read_source
from cluster_marts.config.spec import load_spec
from cluster_marts.errors import InputDataError, SettingsError

__all__ = ["workbench_analysis", "spec_files", "spec_run_id", "RUN_ID_IGNORES"]

_ALLOWED_META = {"specs_dir", "root", "description", "owner"}


def spec_files(specs_dir: str | Path) -> list[Path]:
    """The ``*.yml`` / ``*.yaml`` specs of a folder, sorted; an empty folder is an error."""
    folder = Path(specs_dir)
    files = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])
    if not files:
        raise InputDataError(f"no workbench spec (*.yml) in {folder.resolve()}; add one or fix specs_dir")
    return files




def _with_spec(table: pd.DataFrame, name: str, rid: str) -> pd.DataFrame:
    n = len(table)
    out = table.reset_index(drop=True)
    out.insert(0, "spec_name", pd.Series([name] * n, dtype="str"))
    out["run_id"] = pd.Series([rid] * n, dtype="str")
    return out


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate one table over specs; empty parts only give their columns (their dtypes may be untyped)."""
    filled = [f for f in frames if len(f)]
    return pd.concat(filled, ignore_index=True) if filled else frames[0]


def workbench_analysis(meta: Mapping[str, Any] | None, *, model: str) -> pd.DataFrame:
    """Every table of every shipped spec's analysis, as one long table.

    Parameters
    ----------
    meta : mapping or None
        The model's ``config.meta``: ``specs_dir`` (default ``specs``) and
        ``root`` (folder spec paths are relative to, default ``.``).
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    DataFrame
        ``record_type`` (a name of ``TABLES``, in that order), ``spec_name``,
        the union of the tables' columns (nullable dtypes, null where a column
        is not the row's table's) and ``run_id``; within a record type, specs
        by file name, then the rows of ``run_spec``.

    Raises
    ------
    SettingsError
        Unknown ``config.meta`` keys.
    InputDataError
        No spec, two specs with one name, or a spec's rows (see ``run_spec``).
    """
    meta = dict(meta or {})
    unknown = sorted(set(meta) - _ALLOWED_META)
    if unknown:
        raise SettingsError(f"model {model}: unknown setting(s) {unknown}; allowed: {sorted(_ALLOWED_META)}")
    root = Path(str(meta.get("root") or "."))
    parts: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    names: set[str] = set()
    for path in spec_files(root / str(meta.get("specs_dir") or "specs")):
        spec = load_spec(path)
        if spec.name in names:
            raise InputDataError(f"model {model}: two specs are named {spec.name!r}; spec names must be unique")
        names.add(spec.name)
        frame = read_source(spec, root)
        tables = run_spec(spec, frame)
        rid = spec_run_id(spec, frame)
        for table in TABLES:
            parts[table].append(_with_spec(tables[table], spec.name, rid))
    long = stack_records({table: _concat(frames) for table, frames in parts.items()})
    return long[[c for c in long.columns if c != "run_id"] + ["run_id"]]
