"""Every shipped spec as warehouse tables: what the workbench dbt models return.

:func:`workbench_table` runs every spec of ``specs_dir`` (sorted by file name)
through :func:`~cluster_marts.adapters.workbench.analysis.run_spec` and returns one of
its tables for all specs, with ``spec_name`` as the first column. The eight
dbt Python models of the workbench each ask for one table; the runs are cached
in-process (keyed by the spec file and its source file's bytes), so one dbt
build analyses each spec once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.adapters.workbench.analysis import TABLES, run_spec
from cluster_marts.adapters.workbench.datasets import read_source
from cluster_marts.config.spec import load_spec

__all__ = ["workbench_table", "spec_files"]

_ALLOWED_META = {"specs_dir", "root", "description", "owner"}


def spec_files(specs_dir: str | Path) -> list[Path]:
    """The ``*.yml`` / ``*.yaml`` specs of a folder, sorted; an empty folder is an error."""
    folder = Path(specs_dir)
    files = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])
    if not files:
        raise InputDataError(f"no workbench spec (*.yml) in {folder.resolve()}; add one or fix specs_dir")
    return files


def _digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


@lru_cache(maxsize=32)
def _run_cached(spec_path: str, spec_digest: str, source_digest: str, root: str) -> dict[str, pd.DataFrame]:
    spec = load_spec(spec_path)
    return run_spec(spec, read_source(spec, root))


def _run(spec_path: Path, root: Path) -> tuple[str, dict[str, pd.DataFrame]]:
    spec = load_spec(spec_path)
    source = root / spec.source.path if spec.source.path else None
    source_digest = _digest(source) if source is not None and source.exists() else "missing"
    return spec.name, _run_cached(str(spec_path), _digest(spec_path), source_digest, str(root))


def workbench_table(table: str, meta: Mapping[str, Any] | None, *, model: str) -> pd.DataFrame:
    """One analysis table for every shipped spec, ``spec_name`` first.

    Parameters
    ----------
    table : str
        One of :data:`~cluster_marts.adapters.workbench.analysis.TABLES`.
    meta : mapping or None
        The model's ``config.meta``: ``specs_dir`` (default ``specs``) and
        ``root`` (folder spec paths are relative to, default ``.``).
    model : str
        dbt model name, used in error messages.
    """
    meta = dict(meta or {})
    unknown = sorted(set(meta) - _ALLOWED_META)
    if unknown:
        raise SettingsError(f"model {model}: unknown setting(s) {unknown}; allowed: {sorted(_ALLOWED_META)}")
    if table not in TABLES:
        raise SettingsError(f"model {model}: table {table!r} is not one of {', '.join(TABLES)}")
    root = Path(str(meta.get("root") or "."))
    frames, names = [], set()
    for path in spec_files(root / str(meta.get("specs_dir") or "specs")):
        name, tables = _run(path, root)
        if name in names:
            raise InputDataError(f"model {model}: two specs are named {name!r}; spec names must be unique")
        names.add(name)
        frame = tables[table].copy()
        frame.insert(0, "spec_name", pd.Series([name] * len(frame), dtype="str"))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
